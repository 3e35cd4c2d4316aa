"""Public threads answered by the search cluster, for the site search's "Discussions"
(:mod:`.site_search` wraps :func:`cluster_thread_ids` in
:func:`cobioe_cms.search.service.answer` with its database answer; a cluster fault
propagates from here so that the service can log it and fall back).

The same question as the database's: every concept of the query in the thread's token
string (``search_text``), matched as the actors' (``term`` on a stem, ``prefix`` on a
typed word, pair tokens for a phrase); threads holding more concepts in their title
first, then the most recently active.
"""

from __future__ import annotations

from elasticsearch_dsl import Q, Search

from cobioe_cms.actors.search_queries import concept_query
from cobioe_cms.core.analysis import UnderstoodQuery
from cobioe_cms.search.client import get_client
from cobioe_cms.search.indexes import SearchNotConfigured, alias_name

from .search_documents import THREADS_INDEX


def build_thread_search(query: UnderstoodQuery, size: int) -> Search:
    in_text = [Q("constant_score", filter=concept_query(c, "search_text")) for c in query.concepts]
    in_title = [
        Q("constant_score", filter=concept_query(c, "search_title"), boost=1)
        for c in query.concepts
    ]
    # The text clauses score 0 so that the score counts the concepts in the title only.
    scored = Q("bool", filter=in_text, should=in_title)
    return (
        Search()
        .query(scored)
        .sort("_score", {"last_activity_at": {"order": "desc"}}, {"pk": {"order": "desc"}})
        .source(False)
        .extra(size=size, track_scores=True)
    )


def cluster_thread_ids(query: UnderstoodQuery, size: int = 20) -> list[int]:
    """Primary keys of the ``size`` public threads that best match ``query``."""
    if not query or size <= 0:
        return []
    client = get_client()
    if client is None:
        raise SearchNotConfigured("no search cluster configured")
    body = build_thread_search(query, size).to_dict()
    response = client.search(index=alias_name(THREADS_INDEX), body=body)
    return [int(hit["_id"]) for hit in response["hits"]["hits"]]
