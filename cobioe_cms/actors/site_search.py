"""The organisations' section of the site search (found by ``SearchConfig.ready()``).

The same understanding of the query as the cartography's (:mod:`.text_search`): the
profiles holding every concept, those whose name matches first, then those whose
taxonomy terms match, then mere mentions; the cluster answers when it can.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from cobioe_cms.core.analysis import UnderstoodQuery
from cobioe_cms.search import service
from cobioe_cms.search.site_search import (
    ClusterQuery,
    SearchContext,
    SearchSection,
    register_section,
)

from .models import ActorPage
from .text_search import actor_vocabulary, ranked

# The ids the cluster returns with its count: the preview and the first page of the
# site search, so that neither needs a second request.
FIRST_IDS = 20


class RankedActors:
    """The matching profiles, best first, counted and sliced lazily (what a Paginator
    needs). The first question asked (the count) decides which backend answers;
    ``answered_by`` says which did.

    The count brings the first ids with it: on the database, every matching id in
    rank order (to find the best ones it ranks every match anyway, and counting them
    apart read every profile's text a second time: a third to a half of the section's
    time at 10,000 profiles, ``tests/perf/bench_search.py``); on the cluster, the first
    :data:`FIRST_IDS` with the total, in one request. A page is then read by primary
    key."""

    def __init__(self, query: UnderstoodQuery, context: SearchContext) -> None:
        self.query = query
        self.context = context
        self.pages = context.pages(ActorPage).select_related("organisation_type")
        self.answered_by: str | None = None
        self._count: int | None = None
        # Ids best first: all of them (database) or the first FIRST_IDS (cluster).
        self._ids: list[int] | None = None

    def _database(self):
        return ranked(self.pages, self.query)

    def _cluster(self, offset: int, size: int) -> tuple[int, list[int]]:
        from .search_queries import cluster_ranked_ids

        return cluster_ranked_ids(self.query, self.context.site_root, offset=offset, size=size)

    def _database_ids(self) -> tuple[int, list[int]]:
        ids = list(self._database().values_list("pk", flat=True))
        return len(ids), ids

    def count(self) -> int:
        if self._count is None:
            if not self.query:
                self._count, self.answered_by = 0, service.DATABASE
            else:
                found = service.answer(
                    "site search: organisations",
                    cluster=lambda: self._cluster(0, FIRST_IDS),
                    database=self._database_ids,
                )
                (self._count, self._ids), self.answered_by = found.value, found.backend
        return self._count

    def _known_ids(self, start: int, stop: int) -> list[int] | None:
        """The ids of the slice, if the count brought them."""
        if self._ids is None:
            return None
        if self.answered_by == service.CLUSTER and stop > len(self._ids) == FIRST_IDS:
            return None  # beyond the first ids the cluster sent
        return self._ids[start:stop]

    def _rows(self, ids: list[int]) -> list[ActorPage]:
        by_id = self.pages.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: Any) -> list[ActorPage]:
        if not isinstance(index, slice):
            raise TypeError("RankedActors is read a page at a time")
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        if not self.query or stop <= start:
            return []
        known = self._known_ids(start, stop)
        if known is not None:
            return self._rows(known)
        if self.answered_by == service.CLUSTER:
            found = service.answer(
                "site search: organisations",
                cluster=lambda: self._cluster(start, stop - start)[1],
                database=lambda: None,
            )
            if found.value is not None:
                return self._rows(found.value)
            self.answered_by = service.DATABASE
        return list(self._database()[start:stop])


def search_actors(context: SearchContext) -> RankedActors:
    return RankedActors(context.understood, context)


def cluster_actors(context: SearchContext, size: int) -> ClusterQuery | None:
    """:meth:`RankedActors._cluster`'s request, for the site search's single request."""
    if not context.understood:
        return None
    from cobioe_cms.search.indexes import alias_name

    from .search_documents import INDEX_NAME
    from .search_queries import build_ranked_search

    search = build_ranked_search(context.understood, context.site_root)
    pages = context.pages(ActorPage).select_related("organisation_type")
    return ClusterQuery(
        alias_name(INDEX_NAME),
        search.extra(from_=0, size=size, track_total_hits=True).to_dict(),
        rows=lambda ids: _in_order(pages, ids),
    )


def _in_order(pages, ids: list[int]) -> list[ActorPage]:
    by_id = pages.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


ACTORS = register_section(
    SearchSection(
        key="actors",
        label=_("Organisations"),
        search=search_actors,
        template="cobioe_actors/search/hit_actor.html",
        order=10,
        page_types=("cobioe_actors.ActorPage",),
        vocabulary=actor_vocabulary,
        cluster=cluster_actors,
    )
)
