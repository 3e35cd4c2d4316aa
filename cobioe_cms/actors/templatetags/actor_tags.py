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


@register.simple_tag
def actors_per_stage() -> list[tuple[object, int]]:
    """Top-level value-chain stages with their number of published public actors."""
    from cobioe_cms.core.models import ValueChainStage

    actors = ActorPage.objects.live().public().values("pk")
    through = ActorPage.stages.through
    counts = dict(
        through.objects.filter(actorpage_id__in=actors)
        .values_list("valuechainstage_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    stages = ValueChainStage.objects.filter(parent__isnull=True)
    return [(stage, counts.get(stage.pk, 0)) for stage in stages]
