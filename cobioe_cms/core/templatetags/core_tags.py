from django import template
from django.template import TemplateDoesNotExist
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("cobioe_core/includes/main_nav.html", takes_context=True)
def main_nav(context):
    """The site root's live children marked "show in menus"."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"items": []}
    current = context.get("page")
    items = []
    for page in site.root_page.get_children().live().in_menu().public():
        active = current is not None and current.path.startswith(page.path)
        items.append({"title": page.title, "url": page.get_url(request), "active": active})
    return {"items": items}


@register.simple_tag(takes_context=True)
def include_if_installed(context, template_name: str) -> str:
    """Renders ``template_name`` with the current context, or nothing if no app ships it.

    A page of a lower app shows the parts that belong to a higher one (the actor profile's
    "claim this profile", "follow", related news) only when that app is installed: the
    higher app ships the fragment, and the lower app's template never names its tags or
    URLs. Errors inside an existing fragment are not hidden.
    """
    try:
        fragment = context.template.engine.get_template(template_name)
    except TemplateDoesNotExist:
        return ""
    return fragment.render(context)
