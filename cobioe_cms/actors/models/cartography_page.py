"""The public cartography: a page that lists, maps and exports the actors below it.

Its routes answer through :mod:`cobioe_cms.actors.directory` (the directory, the map
data and the exports, and which backend answers each).
"""

from __future__ import annotations

from django.db import models
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy
from django.views.decorators.gzip import gzip_page
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from ..directory import directory_response, export_response, map_data_response
from .actor_page import ActorPage


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

    @path("")
    def directory(self, request):
        return directory_response(self, request)

    @path("map/data/")
    @method_decorator(gzip_page)  # 10,000 markers are ~0.7 MB of JSON, ~0.15 MB gzipped
    def map_data(self, request):
        return map_data_response(self, request)

    @path("export/csv/")
    def export_csv(self, request):
        return export_response(self, request, "csv")

    @path("export/json/")
    def export_json(self, request):
        return export_response(self, request, "json")

    @path("export/geojson/")
    def export_geojson(self, request):
        return export_response(self, request, "geojson")
