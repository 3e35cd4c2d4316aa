"""Watch items answered by the search cluster: ranked full text for the site search.

The caller wraps :func:`cluster_item_ids` in :func:`cobioe_cms.search.service.answer`
with its own database answer; a cluster fault propagates from here (one of
``SEARCH_ERRORS``) so that the service can log it and fall back.

Bodies are built with elasticsearch-dsl and sent with the configured cluster client.
"""

from __future__ import annotations

from elasticsearch_dsl import Q, Search

from cobioe_cms.core.analysis import Concept, UnderstoodQuery, understand
from cobioe_cms.core.models import synonym_groups
from cobioe_cms.search.client import get_client
from cobioe_cms.search.indexes import SearchNotConfigured, alias_name

from .search_documents import ITEMS_INDEX

FULL_TEXT_FIELDS = [
    "title^3",
    "title.en^3",
    "title.fr^3",
    "summary",
    "summary.en",
    "summary.fr",
    # Folded title and summary: a query typed without accents finds accented words.
    "keywords_text.en",
    "keywords_text.fr",
]


def _concept_query(concept: Concept) -> Q:
    """One of the concept's alternatives (a synonym), all its words in one field,
    stemmed in English or French by the cluster's analysers."""
    alternatives = [
        Q(
            "multi_match",
            query=" ".join(word.text for word in alternative),
            fields=FULL_TEXT_FIELDS,
            operator="and",
        )
        for alternative in concept.alternatives
    ]
    return Q("bool", should=alternatives, minimum_should_match=1)


def build_full_text_search(query: UnderstoodQuery, size: int = 20) -> Search:
    """Best matches first among items that are not duplicates (a duplicate's original
    is in the list already); every concept of the query (:mod:`cobioe_cms.core.analysis`)
    must appear; newer items first among equals."""
    return (
        Search()
        .query(
            Q(
                "bool",
                must=[_concept_query(concept) for concept in query.concepts],
                filter=[Q("term", is_duplicate=False)],
            )
        )
        .sort("_score", {"published_at": {"order": "desc"}})
        .source(False)
        .extra(size=size)
    )


def cluster_item_ids(query: UnderstoodQuery | str, size: int = 20) -> list[int]:
    """Primary keys of the ``size`` watch items that best match ``query`` (understood
    with the editors' synonyms if given as text)."""
    if isinstance(query, str):
        query = understand(query, synonym_groups())
    if not query or size <= 0:
        return []
    client = get_client()
    if client is None:
        raise SearchNotConfigured("no search cluster configured")
    body = build_full_text_search(query, size).to_dict()
    response = client.search(index=alias_name(ITEMS_INDEX), body=body)
    return [int(hit["_id"]) for hit in response["hits"]["hits"]]
