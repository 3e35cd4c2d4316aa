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

from cobioe_cms.core.analysis import UnderstoodQuery, folded_text_condition, understand
from cobioe_cms.core.models import synonym_groups
from cobioe_cms.search import service
from cobioe_cms.search.site_search import (
    AnsweredList,
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


def search_watch_items(context: SearchContext) -> AnsweredList:
    query = understand(context.query.text, synonym_groups())
    answer = service.answer(
        "site search: watch items",
        cluster=lambda: _cluster_item_ids(query),
        database=lambda: database_item_ids(query),
    )
    ids = list(answer.value)[:MAX_RESULTS]
    found = WatchItem.objects.filter(pk__in=ids, duplicate_of__isnull=True).select_related("source")
    by_id = {item.pk: item for item in found}
    return AnsweredList((by_id[pk] for pk in ids if pk in by_id), answer.backend)


WATCH_ITEMS = register_section(
    SearchSection(
        key="watch",
        label=_("Watch items"),
        search=search_watch_items,
        template="cobioe_watch/search/hit_watch_item.html",
        order=40,
        members_only=True,
    )
)
