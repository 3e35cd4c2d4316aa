"""Template tags of the public side of the collaboration opportunities: the
organisation profile's list and the Markdown-like description."""

from __future__ import annotations

from django import template
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.utils.safestring import SafeString
from wagtail.models import PageViewRestriction

from ..models.opportunities import OpportunityPage
from ..text import render

register = template.Library()

MAX_ON_PROFILE = 20


@register.simple_tag
def opportunities_of(actor) -> list[OpportunityPage]:
    """The current opportunities an organisation posted (the profile's fragment), newest
    first, in one query; none for a page that is not saved.

    Public ones only, as ``PageQuerySet.public()`` says, but tested inside the query (a
    view restriction on the page or an ancestor: its path begins the page's) where
    ``public()`` reads every restriction first."""
    if actor is None or not getattr(actor, "pk", None):
        return []
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return list(
        OpportunityPage.objects.current()
        .of_organisation(actor)
        .exclude(Exists(restricted))
        .order_by("-first_published_at", "-pk")[:MAX_ON_PROFILE]
    )


@register.filter
def opportunity_text(text: str) -> SafeString:
    """The description, rendered as the discussions' posts are (safe Markdown)."""
    return render(text or "")
