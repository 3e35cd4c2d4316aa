"""A reworded taxonomy term reaches the text its profiles are found by.

A profile's ``search_text`` and ``search_terms`` hold the labels and keywords of its
terms (:func:`.models.actor_page.search_fields_for`). When an editor changes a term's
English or French label or its keywords, every profile described by the term is
analysed again, in the same transaction, and queued for the search cluster (connected
from ``ActorsConfig.ready``).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save

from cobioe_cms.core.models import TAXONOMIES, OrganisationType
from cobioe_cms.search.tasks import schedule_sync

from .models import ActorPage, write_tokens
from .models.search_text import SEARCHED_RELATIONS
from .search_documents import INDEX_NAME

TEXT_FIELDS = ("name", "name_fr", "keywords")
BATCH = 500


def _relation_for(model: type) -> str | None:
    """The profile's field that holds terms of ``model`` (None if not searched)."""
    if model is OrganisationType:
        return "organisation_type"
    for relation in SEARCHED_RELATIONS:
        if ActorPage._meta.get_field(relation).related_model is model:
            return relation
    return None


def _remember_text(sender: Any, instance: Any, **kwargs: Any) -> None:
    previous = sender.objects.filter(pk=instance.pk).values(*TEXT_FIELDS).first()
    instance._previous_text = previous


def _reanalyse(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    previous = getattr(instance, "_previous_text", None)
    if created or previous is None or kwargs.get("raw"):
        return
    if all(previous[field] == getattr(instance, field) for field in TEXT_FIELDS):
        return
    relation = _relation_for(sender)
    if relation is None:
        return
    reanalyse_profiles(
        ActorPage.objects.filter(**{relation: instance}).values_list("pk", flat=True)
    )


def reanalyse_profiles(pks) -> int:
    """Analyse these profiles' text again (their rows, not their revisions) and queue
    them for the cluster. Returns how many were updated."""
    pks = list(pks)
    fields = ["search_text", "search_name", "search_terms"]
    for start in range(0, len(pks), BATCH):
        actors = list(
            ActorPage.objects.filter(pk__in=pks[start : start + BATCH])
            .select_related("organisation_type")
            .prefetch_related(*SEARCHED_RELATIONS, "keywords")
        )
        for actor in actors:
            actor.update_search_fields()
        ActorPage.objects.bulk_update(actors, fields)
        write_tokens(actors)
    schedule_sync(INDEX_NAME, pks)
    return len(pks)


def connect() -> None:
    for model in TAXONOMIES.values():
        uid = f"cobioe-actors-term-text-{model.__name__}"
        pre_save.connect(_remember_text, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_reanalyse, sender=model, dispatch_uid=f"{uid}-post")
