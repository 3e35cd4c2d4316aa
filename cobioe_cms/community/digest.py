"""The community's sections of the watch digest: "Activity in your groups" and
"Opportunities matching your interests".

The notifications a member chose to hear of "in my watch digest" (their preference for
the kind, at the time the digest is built), not yet e-mailed and not yet read on the
site, about what they may still read (a members-only group they left is left out).
Once the digest is sent they are marked e-mailed, so that each one is in one digest.
A digest with nothing but this section is still sent (see :mod:`cobioe_cms.watch.digests`):
the member asked to hear of it there. Members without a watch digest subscription see
them on their notifications page only.

"Opportunities matching your interests" lists the opportunities first published in the
digest's period (``since``, ``until``] and still current when it is built (published,
open, not expired, of a published organisation: :meth:`OpportunityQuerySet.current`)
that match the member's watch interests as a watch item does: at least one shared
value-chain stage, modality or therapeutic area, a country they watch among the
countries sought (an opportunity open to anywhere in Europe is open to every country,
as on the board), one of their keywords in its text, or an organisation they follow;
and none of their excluded words. Their own postings are left out. The interests are
read through the member's ``interest_profile`` (the watch's one-to-one link on the
user), not by importing the watch (same layer, design.md §3). Nothing is marked: the
period of the next digest starts where this one ended.
"""

from __future__ import annotations

import datetime

from django.apps import apps as django_apps
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cobioe_cms.core.analysis import concept_in_tokens, understand
from cobioe_cms.core.vocabulary import TOPIC_RELATIONS
from cobioe_cms.members.notifications import absolute

from . import notifications as words
from .models import Notification, OpportunityBoardPage, OpportunityPage

MAX_LINES = 30


def activity_section(user, since: datetime.datetime, until: datetime.datetime) -> dict | None:
    kinds = [kind for kind, how in words.deliveries_for(user).items() if how == words.DIGEST]
    if not kinds:
        return None
    waiting = [
        n
        for n in Notification.objects.filter(
            recipient=user, kind__in=kinds, emailed_at=None, read_at=None, created_at__lte=until
        ).select_related("recipient", "group", "thread__group", "reply", "actor")
        if words.still_readable(n)
    ]
    if not waiting:
        return None
    shown = waiting[:MAX_LINES]
    section = {
        "title": _("Activity in your groups"),
        "items": [
            {
                "text": words.describe(n),
                "url": absolute(reverse("community:open_notification", args=[n.pk])),
            }
            for n in shown
        ],
        "notification_ids": [n.pk for n in waiting],
    }
    if len(waiting) > len(shown):
        more = len(waiting) - len(shown)
        section["more_text"] = ngettext(
            "and %(count)d more on your notifications page:",
            "and %(count)d more on your notifications page:",
            more,
        ) % {"count": more}
        section["more_url"] = absolute(reverse("community:notifications"))
    return section


def mark_sent(user, section: dict) -> None:
    Notification.objects.filter(
        recipient=user, pk__in=section["notification_ids"], emailed_at=None
    ).update(emailed_at=timezone.now())


# -- opportunities ---------------------------------------------------------------------


def _interests(user) -> dict | None:
    """The member's watch interests, or None when they have none."""
    try:
        profile = user.interest_profile
    except (AttributeError, ObjectDoesNotExist):
        return None
    terms = {
        relation: {term.pk for term in getattr(profile, relation).all()}
        for relation in TOPIC_RELATIONS
    }
    interests = {
        "terms": terms,
        "countries": {str(code) for code in profile.countries},
        "keywords": [q for q in map(understand, profile.keyword_list()) if q],
        "excluded": [q for q in map(understand, profile.excluded_list()) if q],
        "followed": {actor.pk for actor in profile.followed_actors.all()},
    }
    if not (
        any(terms.values())
        or interests["countries"]
        or interests["keywords"]
        or interests["followed"]
    ):
        return None
    return interests


def _terms_of(opportunity_ids: list[int], terms: dict[str, set[int]]) -> dict[int, bool]:
    """opportunity id -> True for those sharing a term with ``terms`` (one query per
    relation the member has terms in)."""
    shared: dict[int, bool] = {}
    for relation, ids in terms.items():
        if not ids:
            continue
        m2m = OpportunityPage._meta.get_field(relation)
        through = m2m.remote_field.through
        source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
        rows = through.objects.filter(
            **{f"{source}_id__in": opportunity_ids, f"{target}_id__in": ids}
        ).values_list(f"{source}_id", flat=True)
        shared.update(dict.fromkeys(rows, True))
    return shared


def _page_url(page) -> str:
    url = page.get_url() or ""
    return url if url.startswith(("http://", "https://")) else absolute(url)


def _holds(query, tokens: str) -> bool:
    return all(concept_in_tokens(concept, tokens) for concept in query.concepts)


def matching_opportunities(user, since: datetime.datetime, until: datetime.datetime) -> list:
    """The current opportunities first published in (``since``, ``until``] that match
    ``user``'s interests, newest first (see the module's docstring)."""
    from .opportunity_filters import opportunity_tokens, without_view_restrictions

    # The period's opportunities first: most digests have none, and then the member's
    # interests are not read (one query).
    published = OpportunityPage.objects.current().filter(
        first_published_at__gt=since, first_published_at__lte=until
    )
    candidates = list(
        without_view_restrictions(published)
        .exclude(posted_by=user)
        .select_related("organisation")
        .order_by("-first_published_at", "-pk")
    )
    if not candidates:
        return []
    interests = _interests(user)
    if interests is None:
        return []
    sharing = _terms_of([o.pk for o in candidates], interests["terms"])
    found = []
    for opportunity in candidates:
        organisation = opportunity.organisation.title if opportunity.organisation else ""
        _title, tokens = opportunity_tokens(
            opportunity.title, opportunity.description, organisation
        )
        if any(_holds(query, tokens) for query in interests["excluded"]):
            continue
        sought = {str(code) for code in opportunity.countries}
        if (
            sharing.get(opportunity.pk)
            or (interests["countries"] and (not sought or sought & interests["countries"]))
            or any(_holds(query, tokens) for query in interests["keywords"])
            or opportunity.organisation_id in interests["followed"]
        ):
            found.append(opportunity)
    return found


def opportunities_section(user, since: datetime.datetime, until: datetime.datetime):
    found = matching_opportunities(user, since, until)
    if not found:
        return None
    shown = found[:MAX_LINES]
    section = {
        "title": _("Opportunities matching your interests"),
        "items": [
            {
                "text": _("%(direction)s: %(title)s (%(organisation)s)")
                % {
                    "direction": opportunity.get_direction_display().capitalize(),
                    "title": opportunity.title,
                    "organisation": opportunity.organisation.title,
                },
                "url": _page_url(opportunity),
            }
            for opportunity in shown
        ],
    }
    if len(found) > len(shown):
        more = len(found) - len(shown)
        board = OpportunityBoardPage.objects.live().first()
        section["more_text"] = ngettext(
            "and %(count)d more on the opportunities board:",
            "and %(count)d more on the opportunities board:",
            more,
        ) % {"count": more}
        if board is not None:
            section["more_url"] = _page_url(board)
    return section


def register() -> None:
    """Add the sections to the watch digest, if the watch is installed."""
    if not django_apps.is_installed("cobioe_cms.watch"):
        return
    from cobioe_cms.watch.digest_sections import register_digest_section

    register_digest_section("community", activity_section, on_sent=mark_sent)
    register_digest_section("opportunities", opportunities_section)
