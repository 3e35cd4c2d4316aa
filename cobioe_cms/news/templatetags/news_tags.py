"""Template tags other apps' templates use to show news (actor profiles, home page)."""

from django import template

from ..models import NewsPage

register = template.Library()

MENTIONING_LIMIT = 5


@register.simple_tag
def news_mentioning(actor, limit: int = MENTIONING_LIMIT) -> list[NewsPage]:
    """The latest published, public news items that list ``actor`` as related.

    ``{% news_mentioning page as news_items %}`` on an actor profile; then
    ``{% include "cobioe_news/includes/mentioning.html" with items=news_items %}``.
    """
    if actor is None or actor.pk is None:
        return []
    return list(NewsPage.objects.live().public().mentioning(actor).newest_first()[:limit])
