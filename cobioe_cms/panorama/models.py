"""The panorama's page and the coverage estimates editors record."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cobioe_cms.core.countries import EuropeanCountries


class PanoramaPage(RoutablePageMixin, Page):
    """The public panorama: statistics of the published actors, coverage against the
    goal, each table as CSV (``csv/<table>/``: Wagtail serves a page's routes with a
    trailing slash, so no ``.csv`` ending; the file is named ``….csv``), and a factsheet
    per country (``countries/<code>/``). One per site."""

    intro = RichTextField(_("introduction"), blank=True)
    coverage_goal = models.PositiveSmallIntegerField(
        _("coverage goal (%)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The share of the sector's actors the consortium aims to map."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("coverage_goal")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types: list[str] = []
    max_count = 1
    template = "cobioe_panorama/panorama_page.html"

    class Meta:
        verbose_name = _("panorama")
        verbose_name_plural = _("panoramas")

    @path("")
    def overview(self, request):
        from .views import panorama_response

        return panorama_response(self, request)

    @path("csv/<slug:name>/")
    def table_csv(self, request, name):
        from .views import table_csv_response

        return table_csv_response(self, request, name)

    @path("countries/<str:code>/")
    def factsheet(self, request, code):
        from .factsheets import factsheet_response

        return factsheet_response(self, request, code)


class CoverageEstimate(models.Model):
    """A reference estimate of how many bioproduction actors there are: in one country
    or in all of Europe (no country), at one value-chain stage or at all (no stage)."""

    country = CountryField(
        _("country"),
        countries=EuropeanCountries,
        blank=True,
        help_text=_("Leave empty for an estimate of all of Europe."),
    )
    stage = models.ForeignKey(
        "cobioe_core.ValueChainStage",
        verbose_name=_("value-chain stage"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leave empty for an estimate of actors at every stage."),
    )
    value = models.PositiveIntegerField(
        _("estimated number of actors"), validators=[MinValueValidator(1)]
    )
    year = models.PositiveSmallIntegerField(
        _("year of the estimate"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    source = models.CharField(_("source"), max_length=255)
    source_url = models.URLField(_("source address"), blank=True)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        FieldPanel("country"),
        FieldPanel("stage"),
        FieldPanel("value"),
        FieldPanel("year"),
        FieldPanel("source"),
        FieldPanel("source_url"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("coverage estimate")
        verbose_name_plural = _("coverage estimates")
        ordering = ["country", "stage__sort_order", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "stage", "year"],
                condition=models.Q(stage__isnull=False),
                name="cobioe_panorama_one_estimate_per_stage_and_year",
                violation_error_message=_(
                    "There is already an estimate for this country, stage and year."
                ),
            ),
            models.UniqueConstraint(
                fields=["country", "year"],
                condition=models.Q(stage__isnull=True),
                name="cobioe_panorama_one_estimate_per_country_and_year",
                violation_error_message=_(
                    "There is already an estimate of all stages for this country and year."
                ),
            ),
        ]

    def __str__(self) -> str:
        where = self.get_country_display() if self.country else _("Europe")
        what = str(self.stage) if self.stage_id else _("all stages")
        return f"{where} · {what} · {self.year}: {self.value}"
