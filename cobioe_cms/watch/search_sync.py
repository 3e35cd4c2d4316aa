"""Keep the watch's indexes in step with the database (connected in ``WatchConfig.ready``).

Updates go through :func:`cobioe_cms.search.tasks.schedule_sync`, which does nothing
when no cluster is configured and otherwise runs after the transaction commits.

- ``watch_profiles`` (the percolator): a profile saved, deleted, or one of its
  relations changed from either side (``profile.stages.set(...)`` on the interests
  form, ``actor.followers.add(profile)``). A profile left without interests is removed
  from the index: it matches nothing.
- ``watch_items``: ingestion schedules its new items itself, once per source
  (:mod:`.ingest.run`), and so does the demo loader; deleting a source removes its
  items, and clears the ``duplicate_of`` of the items elsewhere that pointed to them.

Rows written without signals elsewhere (``update()``, ``bulk_create``) need
``manage.py search_rebuild watch_items watch_profiles``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from cobioe_cms.search.tasks import schedule_sync

from .models import InterestProfile, Source, WatchItem
from .search_documents import ITEMS_INDEX, PROFILE_RELATIONS, PROFILES_INDEX

# Saving only these never changes what a profile matches (the digest run's bookkeeping).
NOT_MATCHING_FIELDS = {"digest", "digest_opt_in_at", "last_digest_at", "updated_at"}


def _profile_saved(
    sender: Any, instance: InterestProfile, update_fields: Any = None, **kwargs: Any
) -> None:
    if update_fields is not None and set(update_fields) <= NOT_MATCHING_FIELDS:
        return
    schedule_sync(PROFILES_INDEX, [instance.pk])


def _profile_deleted(sender: Any, instance: InterestProfile, **kwargs: Any) -> None:
    schedule_sync(PROFILES_INDEX, [instance.pk])


def _relation_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    """``sender`` is the through model of one of the profile's relations."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            schedule_sync(PROFILES_INDEX, [instance.pk])
        return
    # From the other side ``instance`` is a term or an actor and the profiles are in
    # ``pk_set``, except on clear, where they are read before the rows go.
    if action in ("post_add", "post_remove"):
        schedule_sync(PROFILES_INDEX, pk_set or ())
    elif action == "pre_clear":
        target = _target_field(sender)
        profile_ids = sender.objects.filter(**{f"{target}_id": instance.pk}).values_list(
            "interestprofile_id", flat=True
        )
        schedule_sync(PROFILES_INDEX, list(profile_ids))


def _target_field(through: Any) -> str:
    for relation in PROFILE_RELATIONS:
        field = InterestProfile._meta.get_field(relation)
        if field.remote_field.through is through:
            return field.m2m_reverse_field_name()
    raise LookupError(f"{through} is not a relation of InterestProfile")


def _source_deleted(sender: Any, instance: Source, **kwargs: Any) -> None:
    # Read now, synced after the commit: the items are gone by then (and removed from
    # the index), their duplicates elsewhere are left without an original.
    affected = WatchItem.objects.filter(Q(source=instance) | Q(duplicate_of__source=instance))
    schedule_sync(ITEMS_INDEX, list(affected.values_list("pk", flat=True)))


def connect() -> None:
    uid = "cobioe-watch-search"
    post_save.connect(_profile_saved, sender=InterestProfile, dispatch_uid=f"{uid}-saved")
    post_delete.connect(_profile_deleted, sender=InterestProfile, dispatch_uid=f"{uid}-deleted")
    for relation in PROFILE_RELATIONS:
        through = InterestProfile._meta.get_field(relation).remote_field.through
        m2m_changed.connect(_relation_changed, sender=through, dispatch_uid=f"{uid}-{relation}")
    pre_delete.connect(_source_deleted, sender=Source, dispatch_uid=f"{uid}-source-deleted")
