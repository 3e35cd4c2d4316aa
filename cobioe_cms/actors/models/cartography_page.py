"""The public cartography: a directory, a map and exports of the actors below it.

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
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy
from django.views.decorators.gzip import gzip_page
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cobioe_cms.core.conf import conf
from cobioe_cms.core.pagination import parse_page_number
from cobioe_cms.search.service import DATABASE, answer

from .actor_page import ActorPage

if TYPE_CHECKING:
    from ..filters import ActorFilter, FacetResult

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


class CartographyPage(RoutablePageMixin, Page):
    """Lists, maps and exports the published :class:`ActorPage` children.

    Every state of the directory (filters, text, sort, page) is a URL; the map data and
    the exports take the same parameters and go through the same query builder.
    """

    intro = RichTextField(gettext_lazy("introduction"), blank=True)
    per_page = models.PositiveSmallIntegerField(gettext_lazy("actors per page"), default=20)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("per_page")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types = ["cobioe_actors.ActorPage"]
    template = "cobioe_actors/cartography_page.html"

    class Meta:
        verbose_name = gettext_lazy("cartography")
        verbose_name_plural = gettext_lazy("cartographies")

    def actors(self):
        """The actors this cartography may show: published, public, its children."""
        return ActorPage.objects.child_of(self).live().public()

    def build_filter(self, request):
        from ..filters import ActorFilter

        return ActorFilter(request.GET, self.actors())

    @path("")
    def directory(self, request):
        actor_filter = self.build_filter(request)
        raw_page = request.GET.get("page", "")
        result = answer(
            "cartography directory",
            cluster=lambda: self.listing_from_cluster(actor_filter, raw_page),
            database=lambda: self.listing_from_database(actor_filter, raw_page),
        )
        listing = result.value
        messages = list(actor_filter.messages)
        if listing.page_message:
            messages.append(listing.page_message)
        number = listing.page.number
        response = self.render(
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

    def listing_from_database(self, actor_filter: ActorFilter, raw_page: str) -> Listing:
        """Count, page and facets with SQL (the default, and the fallback)."""
        paginator = Paginator(actor_filter.queryset(), max(1, self.per_page))
        number, page_message = parse_page_number(raw_page, paginator.num_pages)
        page = paginator.page(number)
        page.object_list = _with_card_data(page.object_list)
        return Listing(paginator, page, page_message, actor_filter.facets())

    def listing_from_cluster(self, actor_filter: ActorFilter, raw_page: str) -> Listing:
        """Count, facets and the page's ids from the cluster in one request (two when
        the page number had to be corrected), then that page's profiles from the
        database. The database orders the page instead when the cluster cannot give its
        order: past the cluster's result window, or on a database that does not compare
        titles by code point (``search_queries.database_sorts_like_cluster``)."""
        from ..search_queries import (
            MAX_RESULT_WINDOW,
            cluster_directory,
            database_sorts_like_cluster,
        )

        per_page = max(1, self.per_page)
        cluster_orders = database_sorts_like_cluster()

        def cluster_can_order(offset: int) -> bool:
            return cluster_orders and offset + per_page <= MAX_RESULT_WINDOW

        # The page asked for, before the total is known (a number past the last page
        # is corrected below, as the database path does).
        wanted, _message = parse_page_number(raw_page, sys.maxsize)
        offset = (wanted - 1) * per_page
        if cluster_can_order(offset):
            hits = cluster_directory(actor_filter, self, offset=offset, size=per_page)
        else:
            hits = cluster_directory(actor_filter, self)
        # A Paginator over positions 0..total-1 gives the page numbers, ranges and
        # messages of the database path without the list itself.
        paginator = Paginator(range(hits.total), per_page)
        number, page_message = parse_page_number(raw_page, paginator.num_pages)
        page = paginator.page(number)
        window = page.object_list  # range(first position, last position + 1)
        if cluster_can_order(window.start):
            ids = hits.ids
            if number != wanted or not cluster_can_order(offset):
                ids = cluster_directory(
                    actor_filter, self, offset=window.start, size=per_page, facets=False
                ).ids
            page.object_list = self._actors_in_order(ids)
        else:
            page.object_list = list(
                _with_card_data(actor_filter.queryset())[window.start : window.stop]
            )
        return Listing(paginator, page, page_message, actor_filter.facets(counts=hits.counts))

    def _actors_in_order(self, ids: list[int]) -> list[ActorPage]:
        """The profiles of ``ids`` in that order. An id the database no longer lists
        (unpublished while the index catches up) is left out."""
        found = {actor.pk: actor for actor in _with_card_data(self.actors().filter(pk__in=ids))}
        return [found[pk] for pk in ids if pk in found]

    @path("map/data/")
    @method_decorator(gzip_page)  # 10,000 markers are ~0.7 MB of JSON, ~0.15 MB gzipped
    def map_data(self, request):
        """Markers and per-country counts of the filtered set, in a compact form.

        Always from the database (see the module docstring), so both halves describe
        the same actors; the ``X-Search-Backend`` header says so.
        """
        actor_filter = self.build_filter(request)
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
                "base_url": self.get_url(request),
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

    def _export(self, request, fmt: str):
        from ..exports import export_response

        base_url = request.build_absolute_uri(self.get_url(request))
        return export_response(request, self.build_filter(request), base_url, fmt)

    @path("export/csv/")
    def export_csv(self, request):
        return self._export(request, "csv")

    @path("export/json/")
    def export_json(self, request):
        return self._export(request, "json")

    @path("export/geojson/")
    def export_geojson(self, request):
        return self._export(request, "geojson")


def _with_card_data(actors):
    """What an actor card shows, in three queries for the whole page."""
    return actors.select_related("organisation_type", "gmp_status", "logo").prefetch_related(
        "stages", "modalities"
    )
