"""Background work of the members app (django-tasks)."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.actors.models.actor_page import STALE_AFTER

from . import notifications
from .models import ReminderLog, Representative

REMIND_AGAIN_AFTER = datetime.timedelta(days=30)


def remind_stale_profiles() -> int:
    """E-mail the representatives of published profiles not reviewed for a year.

    Each e-mail is logged as soon as it is sent, and a representative reminded in the
    last 30 days is skipped: a run that stops half-way and is restarted sends nobody a
    second copy and skips nobody.
    """
    now = timezone.now()
    cutoff = now.date() - STALE_AFTER
    stale = ActorPage.objects.live().filter(
        Q(last_reviewed__lt=cutoff) | Q(last_reviewed__isnull=True)
    )
    representatives = (
        Representative.objects.filter(actor__in=stale, user__is_active=True)
        .exclude(user__email="")
        .select_related("actor", "user")
        .order_by("actor_id", "user_id")
    )
    sent = 0
    for representative in representatives:
        recently = ReminderLog.objects.filter(
            actor=representative.actor,
            user=representative.user,
            sent_at__gte=now - REMIND_AGAIN_AFTER,
        )
        if recently.exists():
            continue
        if notifications.review_reminder(representative.actor, representative.user):
            ReminderLog.objects.create(actor=representative.actor, user=representative.user)
            sent += 1
    return sent


@task()
def send_review_reminders() -> int:
    return remind_stale_profiles()
