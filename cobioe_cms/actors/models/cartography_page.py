"""The public cartography: a directory, a map and exports of the actors below it."""

from __future__ import annotations

from django.conf import settings
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

from cobioe_cms.core.pagination import parse_page_number

from .actor_page import ActorPage

MAP_COORDINATE_DECIMALS = 4


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
    template = "actors/cartography_page.html"

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
        paginator = Paginator(actor_filter.queryset(), max(1, self.per_page))
        number, page_message = parse_page_number(request.GET.get("page", ""), paginator.num_pages)
        messages = list(actor_filter.messages)
        if page_message:
            messages.append(page_message)
        page = paginator.page(number)
        page.object_list = page.object_list.select_related(
            "organisation_type", "gmp_status", "logo"
        ).prefetch_related("stages", "modalities")
        querystring = actor_filter.querystring()
        return self.render(
            request,
            context_overrides={
                "filter": actor_filter,
                "facets": actor_filter.facets(),
                "active_filters": actor_filter.active_filters(),
                "page_obj": page,
                "page_range": paginator.get_elided_page_range(number, on_each_side=2),
                "paginator": paginator,
                "input_messages": messages,
                "querystring": querystring,
                "sorts": _sort_choices(),
                "map_settings": {
                    "tile_url": settings.COBIOE_MAP_TILE_URL,
                    "tile_attribution": settings.COBIOE_MAP_TILE_ATTRIBUTION,
                },
            },
        )

    @path("map/data/")
    @method_decorator(gzip_page)  # 10,000 markers are ~0.7 MB of JSON, ~0.15 MB gzipped
    def map_data(self, request):
        """Markers and per-country counts of the filtered set, in a compact form."""
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
        return JsonResponse(
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

    def _export(self, request, writer):
        actor_filter = self.build_filter(request)
        base_url = request.build_absolute_uri(self.get_url(request))
        return writer(actor_filter.queryset(), base_url)

    @path("export/csv/")
    def export_csv(self, request):
        from ..exports import csv_response

        return self._export(request, csv_response)

    @path("export/json/")
    def export_json(self, request):
        from ..exports import json_response

        return self._export(request, json_response)

    @path("export/geojson/")
    def export_geojson(self, request):
        from ..exports import geojson_response

        return self._export(request, geojson_response)


def _sort_choices():
    from ..filters import SORTS

    return [(key, label) for key, (label, _order) in SORTS.items()]
