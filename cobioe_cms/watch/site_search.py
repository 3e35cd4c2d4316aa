"""The watch items' section of the site search, for signed-in members only (found by
``SearchConfig.ready()``).

Members may read every ingested item (their feed is a selection of them); an item that
duplicates an earlier one is never shown, as in the feed. The cluster ranks the items
when it can (:func:`.search_queries.cluster_item_ids`); the database otherwise finds the
items whose folded text holds every concept of the query (the site's one
understanding of a query: :mod:`cobioe_cms.core.analysis`), newest first.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cobioe_cms.core.analysis import UnderstoodQuery, folded_text_condition
from cobioe_cms.search import service
from cobioe_cms.search.site_search import (
    AnsweredList,
    ClusterQuery,
    SearchContext,
    SearchSection,
    register_section,
)

from .models import WatchItem

# Items are ranked, not browsed: the best 100 are enough for a site search.
MAX_RESULTS = 100


def database_item_ids(query: UnderstoodQuery, size: int = MAX_RESULTS) -> list[int]:
    """Ids of the items whose folded title and summary hold every concept of
    ``query`` (:func:`~cobioe_cms.core.analysis.folded_text_condition`), newest first."""
    if not query:
        return []
    items = WatchItem.objects.filter(duplicate_of__isnull=True)
    items = items.filter(folded_text_condition(query, "keywords_text"))
    return list(items.order_by("-published_at", "-pk").values_list("pk", flat=True)[:size])


def _cluster_item_ids(query: UnderstoodQuery) -> list[int]:
    from .search_queries import cluster_item_ids

    return cluster_item_ids(query, MAX_RESULTS)


def _items(ids: list[int]) -> list[WatchItem]:
    found = WatchItem.objects.filter(pk__in=ids, duplicate_of__isnull=True).select_related("source")
    by_id = {item.pk: item for item in found}
    return [by_id[pk] for pk in ids if pk in by_id]


def search_watch_items(context: SearchContext) -> AnsweredList:
    query = context.understood
    answer = service.answer(
        "site search: watch items",
        cluster=lambda: _cluster_item_ids(query),
        database=lambda: database_item_ids(query),
    )
    return AnsweredList(_items(list(answer.value)[:MAX_RESULTS]), answer.backend)


def cluster_watch_items(context: SearchContext, size: int) -> ClusterQuery | None:
    """:func:`_cluster_item_ids`' request, for the site search's single request (the
    best :data:`MAX_RESULTS` items, whatever the page shows)."""
    if not context.understood:
        return None
    from cobioe_cms.search.indexes import alias_name

    from .search_documents import ITEMS_INDEX
    from .search_queries import build_full_text_search

    body = build_full_text_search(context.understood, MAX_RESULTS).to_dict()
    return ClusterQuery(alias_name(ITEMS_INDEX), body, rows=_items, listed=True)


WATCH_ITEMS = register_section(
    SearchSection(
        key="watch",
        label=_("Watch items"),
        search=search_watch_items,
        template="cobioe_watch/search/hit_watch_item.html",
        order=40,
        members_only=True,
        cluster=cluster_watch_items,
    )
)
