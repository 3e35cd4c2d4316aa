"""E-mail digests of the watch: what is new for a member since their last digest,
grouped by topic, with a one-click unsubscribe.

Higher apps add sections (the community's "Activity in your groups") through
:mod:`.digest_sections`; this module imports none of them. A digest goes out when it has
anything to say, its own items or a section's: a member who chose to hear of something
"in my watch digest" gets it even in a period with no watch item.
"""

from __future__ import annotations

import datetime
import logging
from collections import OrderedDict, defaultdict

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cobioe_cms.actors.filters import ActorFilter
from cobioe_cms.core.vocabulary import TOPIC_RELATIONS

from .digest_sections import build_sections, sections_sent
from .matching import get_matcher
from .models import DigestDelivery, InterestProfile, ItemFeedback, SavedSearch, WatchItem

logger = logging.getLogger("cobioe_cms.watch")

MAX_ITEMS = 50
UNSUBSCRIBE_SALT = "cobioe.watch.unsubscribe"
PERIOD_LENGTH = {
    InterestProfile.Digest.DAILY: datetime.timedelta(days=1),
    InterestProfile.Digest.WEEKLY: datetime.timedelta(days=7),
}


def period_key(frequency: str, now: datetime.datetime) -> str:
    if frequency == InterestProfile.Digest.WEEKLY:
        year, week, _day = now.isocalendar()
        return f"weekly:{year}-W{week:02d}"
    return f"daily:{now.date().isoformat()}"


def unsubscribe_token(user_id: int) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(user_id))


def user_id_from_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def _topic_of(item, profile_terms: dict[int, str], other: str) -> str:
    for relation in TOPIC_RELATIONS:
        for term in getattr(item, relation).all():
            key = (relation, term.pk)
            if key in profile_terms:
                return profile_terms[key]
    return other


def _prepare(item) -> None:
    """Render an item's lines once; many members' digests share the same items."""
    if not hasattr(item, "digest_html"):
        context = {"item": item}
        item.digest_text = render_to_string("cobioe_watch/emails/digest_item.txt", context)
        item.digest_html = render_to_string("cobioe_watch/emails/digest_item.html", context)


def _group(items: list, profile: InterestProfile) -> OrderedDict[str, list]:
    profile_terms = {
        (relation, term.pk): term.label
        for relation in TOPIC_RELATIONS
        for term in getattr(profile, relation).all()
    }
    other = _("Other matches")
    groups: OrderedDict[str, list] = OrderedDict()
    for item in items:
        _prepare(item)
        groups.setdefault(_topic_of(item, profile_terms, other), []).append(item)
    if other in groups:
        groups.move_to_end(other)
    return groups


def _new_actors(searches, since, until) -> list[dict]:
    found = []
    for search in searches:
        start = max(filter(None, [since, search.last_alerted_at, search.created_at]))
        actors = list(
            ActorFilter(QueryDict(search.querystring), search.cartography.actors())
            .filtered()
            .filter(first_published_at__gt=start, first_published_at__lte=until)
            .order_by("title")[:20]
        )
        if actors:
            found.append({"search": search, "actors": actors})
    return found


def build_digest(profile: InterestProfile, since: datetime.datetime, until) -> dict:
    """Items fetched in (since, until] that match ``profile``, grouped by topic, and
    new actors of the member's saved searches with alerts (one member at a time; the
    digest run uses the batch path of :func:`send_digests`)."""
    items = list(
        get_matcher()
        .items_for(profile)
        .filter(fetched_at__gt=since, fetched_at__lte=until)
        .select_related("source")
        .prefetch_related(*TOPIC_RELATIONS)
        .order_by("-score", "-published_at")[:MAX_ITEMS]
    )
    searches = SavedSearch.objects.filter(user_id=profile.user_id, alert=True)
    return {
        "groups": _group(items, profile),
        "count": len(items),
        "searches": _new_actors(searches.select_related("cartography"), since, until),
        "sections": build_sections(profile.user, since, until),
    }


class _BatchDigests:
    """Everything the digests of one run need, read once: the period's new items,
    which members each matches (the matcher's batch method), feedback and alerts."""

    def __init__(self, profiles: list[InterestProfile], frequency: str, now):
        self.now = now
        self.since = {
            p.pk: p.last_digest_at or p.digest_opt_in_at or (now - PERIOD_LENGTH[frequency])
            for p in profiles
        }
        start = min(self.since.values(), default=now)
        items = list(
            WatchItem.objects.filter(
                fetched_at__gt=start, fetched_at__lte=now, duplicate_of__isnull=True
            )
            .select_related("source")
            .prefetch_related(*TOPIC_RELATIONS)
            .order_by("-published_at", "-pk")
        )
        self.items_by_profile: dict[int, list] = defaultdict(list)
        for item_id, profile_ids in get_matcher().profiles_for_items(items).items():
            for profile_id in profile_ids:
                self.items_by_profile[profile_id].append(item_id)
        self.items = {item.pk: item for item in items}
        user_ids = [p.user_id for p in profiles]
        self.rejected = set(
            ItemFeedback.objects.filter(user_id__in=user_ids, item_id__in=self.items).values_list(
                "user_id", "item_id"
            )
        )
        self.searches: dict[int, list] = defaultdict(list)
        for search in SavedSearch.objects.filter(user_id__in=user_ids, alert=True).select_related(
            "cartography"
        ):
            self.searches[search.user_id].append(search)

    def content(self, profile: InterestProfile) -> dict:
        since = self.since[profile.pk]
        news = list(
            get_matcher()
            .news_for(profile)
            .filter(first_published_at__gt=since, first_published_at__lte=self.now)[:10]
        )
        ids = set(self.items_by_profile.get(profile.pk, ()))
        items = [
            item
            for item_id, item in self.items.items()
            if item_id in ids
            and item.fetched_at > since
            and (profile.user_id, item_id) not in self.rejected
        ][:MAX_ITEMS]
        return {
            "news": news,
            "groups": _group(items, profile),
            "count": len(items) + len(news),
            "searches": _new_actors(self.searches.get(profile.user_id, ()), since, self.now),
            "sections": build_sections(profile.user, since, self.now),
        }


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_digest(profile: InterestProfile, content: dict, frequency: str) -> int:
    user = profile.user
    token = unsubscribe_token(user.pk)
    unsubscribe_url = _absolute(reverse("watch:unsubscribe", args=[token]))
    context = {
        **content,
        "user": user,
        "frequency": frequency,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "watch_url": _absolute(reverse("watch:feed")),
        "unsubscribe_url": unsubscribe_url,
        "base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
    }
    subject = render_to_string("cobioe_watch/emails/digest_subject.txt", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()),
        render_to_string("cobioe_watch/emails/digest.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string("cobioe_watch/emails/digest.html", context), "text/html"
    )
    return message.send()


def send_digests(frequency: str, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send this period's digest to every member who opted in to ``frequency``.

    Each (member, period) gets a DigestDelivery row before sending and is marked sent
    right after, so a run that stops half-way and is restarted resumes where it
    stopped: nobody gets a second copy, nobody is skipped. One member's failure is
    logged and does not stop the others (their delivery stays unsent for the next run).
    """
    now = now or timezone.now()
    period = period_key(frequency, now)
    stats = {"sent": 0, "empty": 0, "skipped": 0, "failed": 0}
    profiles = list(
        InterestProfile.objects.filter(digest=frequency, user__is_active=True)
        .exclude(user__email="")
        .exclude(
            user_id__in=DigestDelivery.objects.filter(period=period, sent_at__isnull=False).values(
                "user_id"
            )
        )
        .select_related("user")
        .prefetch_related(*TOPIC_RELATIONS)
        .order_by("pk")
    )
    stats["skipped"] = DigestDelivery.objects.filter(period=period, sent_at__isnull=False).count()
    batch = _BatchDigests(profiles, frequency, now)
    # One row per member and period, written before any e-mail goes out (one commit).
    DigestDelivery.objects.bulk_create(
        [DigestDelivery(user_id=p.user_id, period=period) for p in profiles],
        ignore_conflicts=True,
        batch_size=1000,
    )
    deliveries = {
        d.user_id: d
        for d in DigestDelivery.objects.filter(
            period=period, user_id__in=[p.user_id for p in profiles]
        )
    }
    for profile in profiles:
        delivery = deliveries[profile.user_id]
        if delivery.sent_at:  # sent by a concurrent run since the list was read
            continue
        try:
            with translation.override(settings.LANGUAGE_CODE):
                content = batch.content(profile)
                has_news = content["count"] or content["searches"] or content["sections"]
                sent = send_digest(profile, content, frequency) if has_news else 0
        except Exception:
            logger.exception("Digest for user %s failed", profile.user_id)
            stats["failed"] += 1
            continue
        with transaction.atomic():
            delivery.sent_at = timezone.now()
            delivery.item_count = content["count"]
            delivery.save(update_fields=["sent_at", "item_count"])
            InterestProfile.objects.filter(pk=profile.pk).update(last_digest_at=now)
            if content["searches"]:
                SavedSearch.objects.filter(
                    pk__in=[s["search"].pk for s in content["searches"]]
                ).update(last_alerted_at=now)
            if sent and content["sections"]:
                sections_sent(profile.user, content["sections"])
        stats["sent" if sent else "empty"] += 1
    return stats
