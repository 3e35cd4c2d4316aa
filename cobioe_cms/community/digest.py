"""The community's section of the watch digest: "Activity in your groups".

The notifications a member chose to hear of "in my watch digest" (their preference for
the kind, at the time the digest is built), not yet e-mailed and not yet read on the
site, about what they may still read (a members-only group they left is left out).
Once the digest is sent they are marked e-mailed, so that each one is in one digest.
A digest with nothing but this section is still sent (see :mod:`cobioe_cms.watch.digests`):
the member asked to hear of it there. Members without a watch digest subscription see
them on their notifications page only.
"""

from __future__ import annotations

import datetime

from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cobioe_cms.members.notifications import absolute

from . import notifications as words
from .models import Notification

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


def register() -> None:
    """Add the section to the watch digest, if the watch is installed."""
    if not django_apps.is_installed("cobioe_cms.watch"):
        return
    from cobioe_cms.watch.digest_sections import register_digest_section

    register_digest_section("community", activity_section, on_sent=mark_sent)
