"""The cartography's filters answered by the search cluster, with the semantics of
:class:`.filters.ActorFilter` (the database builder): values ORed within a facet,
facets ANDed, and each facet counted with every *other* active filter.

Text query: the database keeps ``ActorPage.search_text`` folded and requires every
folded query term to be a *substring* of it (``search_text__contains``), so "bio" finds
"biologics". An analysed ``match`` would only find whole (stemmed) words, so the cluster
instead runs one ``wildcard *term*`` per term on ``search_text.exact``, a keyword copy of
the same folded text: the same results, at the price of a scan of the terms dictionary,
which is cheap at the cartography's size (thousands of profiles). Ranked, stemmed
full-text search is :func:`cluster_full_text_ids`, a different question.

Bodies are built with elasticsearch-dsl and sent with the opensearch-py client.
"""

from __future__ import annotations

from typing import Any

from elasticsearch_dsl import A, Q, Search
from wagtail.models import Page

from cobioe_cms.search.client import get_client, helpers
from cobioe_cms.search.indexes import SearchNotConfigured, alias_name

from .filters import FACETS, ActorFilter, Facet
from .search_documents import INDEX_NAME

# Larger than any taxonomy (and than the ~40 European countries): no bucket is cut off.
TERMS_SIZE = 500
DOCUMENT_FIELD = {"gmp_status": "gmp"}
FULL_TEXT_FIELDS = [
    "title^3",
    "title.en^3",
    "title.fr^3",
    "acronym^2",
    "summary",
    "summary.en",
    "summary.fr",
    "search_text.en",
    "search_text.fr",
]


def document_field(facet: Facet) -> str:
    return DOCUMENT_FIELD.get(facet.field, facet.field)


def _client():
    client = get_client()
    if client is None:
        raise SearchNotConfigured("no search cluster configured")
    return client


def _scope(within: Page | None) -> list[Q]:
    """Indexed actors are live and public; ``within`` narrows to one page's children
    (``ActorPage.objects.child_of(within)``)."""
    filters = [Q("term", public=True)]
    if within is not None:
        filters += [Q("prefix", path=within.path), Q("term", depth=within.depth + 1)]
    return filters


def _base_filters(actor_filter: ActorFilter, within: Page | None) -> list[Q]:
    """Scope, text and ``verified``: the filters every facet count shares."""
    filters = _scope(within)
    for term in actor_filter.query_terms:
        # Folded terms are \w only, so they hold no wildcard character to escape.
        filters.append(Q("wildcard", **{"search_text.exact": {"value": f"*{term}*"}}))
    if actor_filter.verified_only:
        filters.append(Q("term", verified=True))
    return filters


def _facet_filters(actor_filter: ActorFilter, exclude: str | None = None) -> list[Q]:
    return [
        Q("terms", **{document_field(facet): actor_filter.selected[facet.key]})
        for facet in FACETS
        if actor_filter.selected[facet.key] and facet.key != exclude
    ]


def build_facet_search(actor_filter: ActorFilter, within: Page | None = None) -> Search:
    """One request for every facet: the query holds the shared filters, and each facet
    has a ``filter`` aggregation with the other facets' filters around a ``terms``."""
    search = Search().query(Q("bool", filter=_base_filters(actor_filter, within)))
    search = search.extra(size=0)
    for facet in FACETS:
        others = _facet_filters(actor_filter, exclude=facet.key)
        aggregation = A("filter", filter=Q("bool", filter=others))
        aggregation.bucket("values", "terms", field=document_field(facet), size=TERMS_SIZE)
        search.aggs.bucket(facet.key, aggregation)
    return search


def build_matching_search(actor_filter: ActorFilter, within: Page | None = None) -> Search:
    filters = _base_filters(actor_filter, within) + _facet_filters(actor_filter)
    return Search().query(Q("bool", filter=filters)).source(False)


def cluster_facet_counts(
    actor_filter: ActorFilter, within: Page | None = None
) -> dict[str, dict[str, int]]:
    """``{facet key: {value: count}}``, non-zero counts only (as the cluster reports)."""
    body = build_facet_search(actor_filter, within).to_dict()
    response: dict[str, Any] = _client().search(index=alias_name(INDEX_NAME), body=body)
    aggregations = response["aggregations"]
    return {
        facet.key: {
            bucket["key"]: bucket["doc_count"]
            for bucket in aggregations[facet.key]["values"]["buckets"]
        }
        for facet in FACETS
    }


def cluster_matching_ids(actor_filter: ActorFilter, within: Page | None = None) -> set[int]:
    """Primary keys of every actor the filter matches (unordered)."""
    body = build_matching_search(actor_filter, within).to_dict()
    hits = helpers().scan(_client(), index=alias_name(INDEX_NAME), query=body, size=1000)
    return {int(hit["_id"]) for hit in hits}


def cluster_full_text_ids(text: str, within: Page | None = None, size: int = 20) -> list[int]:
    """Best matches first for ranked full text: English and French stemming on titles,
    summaries and the labels in ``search_text`` (every word must appear in one field)."""
    search = (
        Search()
        .query(
            Q(
                "bool",
                must=[Q("multi_match", query=text, fields=FULL_TEXT_FIELDS, operator="and")],
                filter=_scope(within),
            )
        )
        .source(False)
        .extra(size=size)
    )
    response = _client().search(index=alias_name(INDEX_NAME), body=search.to_dict())
    return [int(hit["_id"]) for hit in response["hits"]["hits"]]
