"""The actors' document in the search cluster, registered with ``cobioe_cms.search``
from ``ActorsConfig.ready()`` (the search app knows no domain app; design.md §3).

Facet fields hold exactly what the database holds (slugs from the same relations; the
stages already include the parent of every sub-stage, which ``ActorPage.save`` and the
demo generator store), so the cluster and :mod:`.filters` count the same actors.
"""

from __future__ import annotations

import datetime
from typing import Any

from elasticsearch_dsl import (
    Boolean,
    Date,
    DateNanos,
    Document,
    GeoPoint,
    Integer,
    Keyword,
    Long,
)

from cobioe_cms.search.registry import (
    SearchDocument,
    bilingual_text,
    register,
    slug_list,
    token_text,
)

from .filters import FACETS
from .models.actor_page import ActorPage

INDEX_NAME = "actors"
# The cartography's filters on relations with many terms (``?stage=…``).
M2M_FACETS = tuple(facet.field for facet in FACETS if facet.kind == "m2m")


class ActorDocument(Document):
    """Mapping only; documents are written by ``cobioe_cms.search.indexes``."""

    title = bilingual_text(keyword=True)
    acronym = Keyword(normalizer="lowercase")
    summary = bilingual_text()
    city = Keyword()
    country = Keyword()
    organisation_type = Keyword()
    stages = slug_list()
    modalities = slug_list()
    therapeutic_areas = slug_list()
    scales = slug_list()
    gmp = Keyword()
    verified = Boolean()
    public = Boolean()
    location = GeoPoint()
    # The page tree: "child of a cartography" is a prefix on path plus a depth.
    path = Keyword()
    depth = Integer()
    # The analysed token strings the database matches (``ActorPage.search_*``; the
    # text query and its rank, :mod:`.text_search`).
    search_text = token_text()
    search_name = token_text()
    search_terms = token_text()
    # The directory's sort keys (``filters.SORTS``, mirrored by
    # ``search_queries.CLUSTER_SORTS``). ``sort_title`` is the title unchanged: a keyword
    # compares UTF-8 bytes, i.e. code points, as SQLite and PostgreSQL with the C /
    # C.UTF-8 collation compare ``title`` (a lowercase or folding normalizer would put
    # "Évry" or "mAb" elsewhere than the database does). ``first_published_at`` keeps
    # the database's microseconds (``date`` would round to milliseconds and reorder
    # profiles published in the same millisecond); ``pk`` breaks every tie.
    sort_title = Keyword()
    first_published_at = DateNanos()
    last_reviewed = Date()
    pk = Long()


def actors_to_index():
    """Every live, public actor, with what :func:`serialize` reads prefetched."""
    return (
        ActorPage.objects.live()
        .public()
        .select_related("organisation_type", "gmp_status")
        .prefetch_related(*M2M_FACETS)
        .order_by("pk")
    )


def is_indexable(actor: ActorPage) -> bool:
    """Only what the cartography may show: published and without view restrictions."""
    return ActorPage.objects.live().public().filter(pk=actor.pk).exists()


def serialize(actor: ActorPage) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": actor.title,
        "acronym": actor.acronym,
        "summary": actor.summary,
        "city": actor.city,
        "country": str(actor.country) or None,
        "organisation_type": actor.organisation_type.slug if actor.organisation_type else None,
        "gmp": actor.gmp_status.slug if actor.gmp_status else None,
        "verified": actor.verified,
        "public": True,
        "path": actor.path,
        "depth": actor.depth,
        "search_text": actor.search_text,
        "search_name": actor.search_name,
        "search_terms": actor.search_terms,
        "sort_title": actor.title,
        "first_published_at": _isoformat(actor.first_published_at),
        "last_reviewed": _isoformat(actor.last_reviewed),
        "pk": actor.pk,
    }
    for relation in M2M_FACETS:
        body[relation] = sorted(term.slug for term in getattr(actor, relation).all())
    if actor.has_location:
        body["location"] = {"lat": actor.latitude, "lon": actor.longitude}
    return {key: value for key, value in body.items() if value is not None}


def _isoformat(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


ACTORS = register(
    SearchDocument(
        name=INDEX_NAME,
        document=ActorDocument,
        serialize=serialize,
        queryset=actors_to_index,
        should_index=is_indexable,
    )
)
