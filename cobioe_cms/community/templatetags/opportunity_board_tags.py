"""Template tags of the public side of the collaboration opportunities: the
organisation profile's list and the Markdown-like description."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from ..models.opportunities import OpportunityPage
from ..opportunity_filters import without_view_restrictions
from ..text import render

register = template.Library()

MAX_ON_PROFILE = 20


@register.simple_tag
def opportunities_of(actor) -> list[OpportunityPage]:
    """The current opportunities an organisation posted (the profile's fragment), newest
    first, in one query (public ones: :func:`without_view_restrictions`); none for a
    page that is not saved."""
    if actor is None or not getattr(actor, "pk", None):
        return []
    current = OpportunityPage.objects.current().of_organisation(actor)
    return list(
        without_view_restrictions(current).order_by("-first_published_at", "-pk")[:MAX_ON_PROFILE]
    )


@register.filter
def opportunity_text(text: str) -> SafeString:
    """The description, rendered as the discussions' posts are (safe Markdown)."""
    return render(text or "")
