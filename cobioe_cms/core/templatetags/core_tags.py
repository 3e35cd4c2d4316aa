from django import template
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
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
