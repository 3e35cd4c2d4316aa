"""Template tags of the public side of the collaboration opportunities: the
organisation profile's list and the Markdown-like description."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from ..models.opportunities import OpportunityBoardPage, OpportunityPage
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


# The watch page lists the current opportunities of this many days that match the
# member's interests (the digest's rule, :func:`..digest.matching_opportunities`).
WATCH_DAYS = 60
MAX_ON_WATCH = 5


@register.simple_tag
def opportunities_for(user) -> dict:
    """The current opportunities of the last ``WATCH_DAYS`` days that match ``user``'s
    interests, newest first: the first ``MAX_ON_WATCH`` and how many in all (the watch
    page's fragment; nothing for a visitor)."""
    from ..digest import matching_opportunities

    if not getattr(user, "is_authenticated", False):
        return {"shown": [], "total": 0, "board": None}
    now = timezone.now()
    found = matching_opportunities(user, now - timedelta(days=WATCH_DAYS), now)
    if not found:
        return {"shown": [], "total": 0, "board": None}
    board = OpportunityBoardPage.objects.live().order_by("path").first()
    return {"shown": found[:MAX_ON_WATCH], "total": len(found), "board": board}
