"""The public cartography's answers: the directory, the map data and the exports of a
:class:`~cobioe_cms.actors.models.CartographyPage`, whose routes call this module.

Where the answers come from:

- **Directory**: the search cluster when one is configured and answering, else the
  database (``cobioe_cms.search.service.answer``). The cluster gives the total, the
  facet counts and the ids of the requested page in one request; the database then
  loads just that page's profiles. Both paths show the same actors in the same order
  with the same counts; ``X-Search-Backend`` (and ``search_backend`` in the context)
  says which one answered.
- **Map data and exports**: always the database. Both need every matching actor (all
  markers; whole profiles for the exports), which the database reads in one query (the
  exports: one per chunk of 1,000), where the cluster would have to page through up to
  10,000 hits and still leave the profiles to the database. The one part the cluster
  could take over, the choropleth's counts per country, is a single query here (5-15
  ms at 10,000 actors, tests/perf/README.md), and taking it from another source than
  the markers would let the map's "N actors, K without a location" disagree while the
  index catches up.

The page model imports this module at start-up, so this module and what it imports
(``filters``, ``text_search``, ``search_queries``, ``exports``) take the models from
their own modules (``models.actor_page``...), never from the ``models`` package that
is still being initialised.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse

from cobioe_cms.core.conf import conf
from cobioe_cms.core.pagination import parse_page_number
from cobioe_cms.search.service import DATABASE, answer

from . import exports, search_queries
from .filters import ActorFilter, FacetResult
from .models.actor_page import ActorPage

if TYPE_CHECKING:
    from .models.cartography_page import CartographyPage

MAP_COORDINATE_DECIMALS = 4
# Names the backend that answered (cluster or database), for monitoring and tests.
BACKEND_HEADER = "X-Search-Backend"


@dataclass
class Listing:
    """One page of the directory, whichever backend found it."""

    paginator: Paginator
    page: PaginatorPage
    page_message: str | None
    facets: list[FacetResult]


def build_filter(cartography: CartographyPage, request: HttpRequest) -> ActorFilter:
    """The filter of the request's parameters over the actors ``cartography`` shows."""
    return ActorFilter(request.GET, cartography.actors())


def directory_response(cartography: CartographyPage, request: HttpRequest) -> HttpResponse:
    """The directory page: one page of the filtered actors, the facets and the map."""
    actor_filter = build_filter(cartography, request)
    raw_page = request.GET.get("page", "")
    result = answer(
        "cartography directory",
        cluster=lambda: listing_from_cluster(cartography, actor_filter, raw_page),
        database=lambda: listing_from_database(cartography, actor_filter, raw_page),
    )
    listing = result.value
    messages = list(actor_filter.messages)
    if listing.page_message:
        messages.append(listing.page_message)
    number = listing.page.number
    response = cartography.render(
        request,
        context_overrides={
            "filter": actor_filter,
            "facets": listing.facets,
            "active_filters": actor_filter.active_filters(),
            "page_obj": listing.page,
            "page_range": listing.paginator.get_elided_page_range(number, on_each_side=2),
            "paginator": listing.paginator,
            "input_messages": messages,
            "querystring": actor_filter.querystring(),
            "sorts": actor_filter.sort_choices(),
            "search_backend": result.backend,
            "map_settings": {
                "tile_url": conf.MAP_TILE_URL,
                "tile_attribution": conf.MAP_TILE_ATTRIBUTION,
            },
        },
    )
    response[BACKEND_HEADER] = result.backend
    return response


def listing_from_database(
    cartography: CartographyPage, actor_filter: ActorFilter, raw_page: str
) -> Listing:
    """Count, page and facets with SQL (the default, and the fallback)."""
    paginator = Paginator(actor_filter.queryset(), max(1, cartography.per_page))
    number, page_message = parse_page_number(raw_page, paginator.num_pages)
    page = paginator.page(number)
    page.object_list = with_card_data(page.object_list)
    return Listing(paginator, page, page_message, actor_filter.facets())


def listing_from_cluster(
    cartography: CartographyPage, actor_filter: ActorFilter, raw_page: str
) -> Listing:
    """Count, facets and the page's ids from the cluster in one request (two when
    the page number had to be corrected), then that page's profiles from the
    database. The database orders the page instead when the cluster cannot give its
    order: past the cluster's result window, or on a database that does not compare
    titles by code point (``search_queries.database_sorts_like_cluster``)."""
    per_page = max(1, cartography.per_page)
    cluster_orders = search_queries.database_sorts_like_cluster()

    def cluster_can_order(offset: int) -> bool:
        return cluster_orders and offset + per_page <= search_queries.MAX_RESULT_WINDOW

    # The page asked for, before the total is known (a number past the last page
    # is corrected below, as the database path does).
    wanted, _message = parse_page_number(raw_page, sys.maxsize)
    offset = (wanted - 1) * per_page
    if cluster_can_order(offset):
        hits = search_queries.cluster_directory(
            actor_filter, cartography, offset=offset, size=per_page
        )
    else:
        hits = search_queries.cluster_directory(actor_filter, cartography)
    # A Paginator over positions 0..total-1 gives the page numbers, ranges and
    # messages of the database path without the list itself.
    paginator = Paginator(range(hits.total), per_page)
    number, page_message = parse_page_number(raw_page, paginator.num_pages)
    page = paginator.page(number)
    window = page.object_list  # range(first position, last position + 1)
    if cluster_can_order(window.start):
        ids = hits.ids
        if number != wanted or not cluster_can_order(offset):
            ids = search_queries.cluster_directory(
                actor_filter, cartography, offset=window.start, size=per_page, facets=False
            ).ids
        page.object_list = actors_in_order(cartography, ids)
    else:
        page.object_list = list(with_card_data(actor_filter.queryset())[window.start : window.stop])
    return Listing(paginator, page, page_message, actor_filter.facets(counts=hits.counts))


def actors_in_order(cartography: CartographyPage, ids: list[int]) -> list[ActorPage]:
    """The profiles of ``ids`` in that order. An id the database no longer lists
    (unpublished while the index catches up) is left out."""
    found = {actor.pk: actor for actor in with_card_data(cartography.actors().filter(pk__in=ids))}
    return [found[pk] for pk in ids if pk in found]


def map_data_response(cartography: CartographyPage, request: HttpRequest) -> JsonResponse:
    """Markers and per-country counts of the filtered set, in a compact form.

    Always from the database (see the module docstring), so both halves describe
    the same actors; the ``X-Search-Backend`` header says so.
    """
    actor_filter = build_filter(cartography, request)
    qs = actor_filter.filtered()
    rows = (
        qs.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .values_list("latitude", "longitude", "slug", "title", "organisation_type__slug")
    )
    markers = [
        [
            round(lat, MAP_COORDINATE_DECIMALS),
            round(lng, MAP_COORDINATE_DECIMALS),
            slug,
            title,
            kind or "",
        ]
        for lat, lng, slug, title, kind in rows
    ]
    countries = actor_filter.country_counts()
    response = JsonResponse(
        {
            "base_url": cartography.get_url(request),
            "total": sum(countries.values()),
            "located": len(markers),
            "countries": countries,
            "markers": markers,
            "messages": actor_filter.messages,
        },
        json_dumps_params={"separators": (",", ":"), "ensure_ascii": False},
    )
    response[BACKEND_HEADER] = DATABASE
    return response


def export_response(cartography: CartographyPage, request: HttpRequest, fmt: str) -> HttpResponse:
    """The export, in ``fmt``, of the actors the directory lists for the same URL."""
    base_url = request.build_absolute_uri(cartography.get_url(request))
    return exports.export_response(request, build_filter(cartography, request), base_url, fmt)


def with_card_data(actors):
    """What an actor card shows, in three queries for the whole page."""
    return actors.select_related("organisation_type", "gmp_status", "logo").prefetch_related(
        "stages", "modalities"
    )
