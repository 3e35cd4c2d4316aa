from django import template
from django.db.models import Count

from ..models import ActorPage

register = template.Library()


@register.simple_tag
def actor_totals() -> dict[str, int]:
    """Published public actors and the number of countries they are in."""
    totals = (
        ActorPage.objects.live()
        .public()
        .aggregate(actors=Count("pk"), countries=Count("country", distinct=True))
    )
    return totals
