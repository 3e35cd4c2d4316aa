"""The watch's part in a member's data export and account deletion: their interests
(fields, countries, keywords, organisations followed), saved searches, "not relevant"
feedback and digests. Registered with :mod:`cobioe_cms.members.personal_data` in
``WatchConfig.ready``.

Erasing deletes the interest profile one by one through the ORM, so its ``post_delete``
signal (:mod:`.search_sync`) queues the removal of its percolator query from the search
cluster once the deletion commits.
"""

from __future__ import annotations

from typing import Any

from .models import DigestDelivery, InterestProfile, ItemFeedback, SavedSearch

COVERS = (
    "cobioe_watch.InterestProfile.user",
    "cobioe_watch.SavedSearch.user",
    "cobioe_watch.ItemFeedback.user",
    "cobioe_watch.DigestDelivery.user",
)


def _date(value):
    return value.isoformat() if value else None


def _names(related) -> list[str]:
    return sorted(str(term) for term in related.all())


def export_watch_data(user) -> dict[str, Any]:
    profile = InterestProfile.objects.filter(user=user).first()
    return {
        "interests": {
            "value_chain_stages": _names(profile.stages),
            "modalities": _names(profile.modalities),
            "therapeutic_areas": _names(profile.therapeutic_areas),
            "countries": sorted(str(code) for code in profile.countries),
            "keywords": profile.keyword_list(),
            "excluded_keywords": profile.excluded_list(),
            "organisations_followed": _names(profile.followed_actors),
            "digest": profile.digest,
            "digest_opt_in_at": _date(profile.digest_opt_in_at),
            "last_digest_at": _date(profile.last_digest_at),
            "updated_at": _date(profile.updated_at),
        }
        if profile
        else None,
        "saved_searches": [
            {
                "name": s.name,
                "cartography": s.cartography.title,
                "querystring": s.querystring,
                "alert": s.alert,
                "created_at": _date(s.created_at),
                "last_alerted_at": _date(s.last_alerted_at),
            }
            for s in SavedSearch.objects.filter(user=user).select_related("cartography")
        ],
        "not_relevant_items": [
            {"title": f.item.title, "url": f.item.url, "marked_at": _date(f.created_at)}
            for f in ItemFeedback.objects.filter(user=user).select_related("item")
        ],
        "digests": [
            {
                "period": d.period,
                "created_at": _date(d.created_at),
                "sent_at": _date(d.sent_at),
                "item_count": d.item_count,
            }
            for d in DigestDelivery.objects.filter(user=user).order_by("created_at")
        ],
    }


def erase_watch_data(user) -> None:
    """Delete everything: the digest deliveries (sent or pending) included, and the
    interest profile with its percolator document."""
    DigestDelivery.objects.filter(user=user).delete()
    ItemFeedback.objects.filter(user=user).delete()
    SavedSearch.objects.filter(user=user).delete()
    for profile in InterestProfile.objects.filter(user=user):
        profile.delete()  # post_delete -> search_sync queues the percolator deletion


def register() -> None:
    from cobioe_cms.members import personal_data

    personal_data.register("watch", export=export_watch_data, erase=erase_watch_data, covers=COVERS)
