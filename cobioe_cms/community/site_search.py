"""The public discussions' section of the site search, "Discussions" (found by
``SearchConfig.ready()``).

Only threads anyone may read are searched, for every visitor, signed in or not
(:func:`.search_documents.public_threads`: published, in a live, unrestricted group
whose discussions are public). Members-only discussions are never searched here, not
even for their own members: the site search is public, and a members-only group's
threads are listed on its own page.

A thread is found by its title, its opening post and its visible replies' text, with
the site's one understanding of a query (:mod:`cobioe_cms.core.analysis`): every
concept must be in that text; threads holding more concepts in their title first, then
the most recently active. The cluster answers when it can (its ``community_threads``
index, :mod:`.search_documents`); the database otherwise, analysing the public threads
as it reads them (no token column: threads are written with ``update()`` by the
discussions' rules, and a reply changes its thread's text). Either way the threads
found are read again from the database through :func:`.search_documents.public_threads`,
so a thread the cluster has not forgotten yet is never shown.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cobioe_cms.core.analysis import UnderstoodQuery, concept_in_tokens
from cobioe_cms.search import service
from cobioe_cms.search.site_search import (
    AnsweredList,
    ClusterQuery,
    SearchContext,
    SearchSection,
    register_section,
)

from . import opportunity_search  # noqa: F401 - registers the "Opportunities" section
from .models import Thread
from .search_documents import public_threads, thread_tokens, visible_reply_texts

# Threads are ranked, not browsed: the best 100 are enough for a site search.
MAX_RESULTS = 100


def database_thread_ids(query: UnderstoodQuery, size: int = MAX_RESULTS) -> list[int]:
    """Ids of the public threads whose text holds every concept of ``query``, best
    first (two queries: the threads, their visible replies)."""
    if not query:
        return []
    threads = public_threads()
    replies = visible_reply_texts(threads)
    found = []
    for thread in threads.only("pk", "title", "body", "last_activity_at"):
        title, text = thread_tokens(thread, replies.get(thread.pk, []))
        if all(concept_in_tokens(concept, text) for concept in query.concepts):
            in_title = sum(concept_in_tokens(concept, title) for concept in query.concepts)
            found.append((-in_title, -thread.last_activity_at.timestamp(), -thread.pk))
    return [-pk for *_rank, pk in sorted(found)[:size]]


def _cluster_thread_ids(query: UnderstoodQuery) -> list[int]:
    from .search_queries import cluster_thread_ids

    return cluster_thread_ids(query, MAX_RESULTS)


def _in_order(threads, ids: list[int]) -> list:
    by_id = threads.select_related("group").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def _threads(ids: list[int]) -> list:
    """The threads the cluster found, read again through :func:`public_threads`."""
    if not ids:
        return []  # ``public_threads()`` reads the groups' view restrictions
    return _in_order(public_threads(), ids)


def search_discussions(context: SearchContext) -> AnsweredList:
    query = context.understood
    answer = service.answer(
        "site search: discussions",
        cluster=lambda: _cluster_thread_ids(query),
        database=lambda: database_thread_ids(query),
    )
    ids = list(answer.value)[:MAX_RESULTS]
    if answer.backend == service.DATABASE:
        # Found among public_threads() a moment ago, in this request: read by key,
        # without compiling its conditions and reading the view restrictions again.
        return AnsweredList(_in_order(Thread.objects.all(), ids), answer.backend)
    return AnsweredList(_threads(ids), answer.backend)


def cluster_discussions(context: SearchContext, size: int) -> ClusterQuery | None:
    """:func:`_cluster_thread_ids`' request, for the site search's single request (the
    best :data:`MAX_RESULTS` threads, whatever the page shows)."""
    if not context.understood:
        return None
    from cobioe_cms.search.indexes import alias_name

    from .search_documents import THREADS_INDEX
    from .search_queries import build_thread_search

    body = build_thread_search(context.understood, MAX_RESULTS).to_dict()
    return ClusterQuery(alias_name(THREADS_INDEX), body, rows=_threads, listed=True)


register_section(
    SearchSection(
        key="discussions",
        label=_("Discussions"),
        search=search_discussions,
        template="cobioe_community/search/hit_thread.html",
        order=35,
        cluster=cluster_discussions,
    )
)
