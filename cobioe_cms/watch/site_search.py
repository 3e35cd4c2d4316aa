"""The watch items' section of the site search, for signed-in members only (found by
``SearchConfig.ready()``).

Members may read every ingested item (their feed is a selection of them); an item that
duplicates an earlier one is never shown, as in the feed. The cluster ranks the items
when it can (:func:`.search_queries.cluster_item_ids`); the database otherwise finds the
items whose folded text holds every folded word of the query, newest first.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cobioe_cms.core.text import query_terms
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


def database_item_ids(text: str, size: int = MAX_RESULTS) -> list[int]:
    """Ids of the items holding every folded word of ``text``, newest first."""
    terms = query_terms(text)
    if not terms:
        return []
    items = WatchItem.objects.filter(duplicate_of__isnull=True)
    for term in terms:
        items = items.filter(Q(keywords_text__contains=term) | Q(title__icontains=term))
    return list(items.order_by("-published_at", "-pk").values_list("pk", flat=True)[:size])


def _cluster_item_ids(text: str) -> list[int]:
    from .search_queries import cluster_item_ids

    return cluster_item_ids(text, MAX_RESULTS)


def search_watch_items(context: SearchContext) -> AnsweredList:
    text = context.query.text
    answer = service.answer(
        "site search: watch items",
        cluster=lambda: _cluster_item_ids(text),
        database=lambda: database_item_ids(text),
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
        template="search/hit_watch_item.html",
        order=40,
        members_only=True,
    )
)
