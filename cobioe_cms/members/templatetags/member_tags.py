from django import template

from ..models import Representative

register = template.Library()


@register.simple_tag(takes_context=True)
def represents(context, actor) -> bool:
    """Whether the signed-in user represents ``actor`` (no query for visitors)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return Representative.objects.filter(user=user, actor=actor).exists()
