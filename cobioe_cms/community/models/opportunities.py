"""Collaboration opportunities: offers and requests that organisations post, as Wagtail
pages under the public board (``/opportunities/``).

An opportunity is a page so that it goes through the platform's review workflow like a
profile: a representative's edits are revisions, an editor approves one, and what is
published is the revision the editor reviewed (``members.review``). The board's listing,
feed and exports read the live pages through one query builder
(:mod:`cobioe_cms.community.opportunity_filters`).
"""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cobioe_cms.core.countries import EuropeanCountries

# An opportunity is posted for at most this long; renewing starts a new period.
MAX_DURATION_DAYS = 183
# Representatives are reminded this many days before the expiry date.
REMINDER_DAYS = 14
MAX_DESCRIPTION = 5000


def default_expiry() -> date:
    return timezone.localdate() + timedelta(days=90)


def latest_expiry(start: date | None = None) -> date:
    """The furthest expiry date allowed for an opportunity posted or renewed on ``start``."""
    return (start or timezone.localdate()) + timedelta(days=MAX_DURATION_DAYS)


class OpportunityQuerySet(PageQuerySet):
    def current(self, today: date | None = None) -> OpportunityQuerySet:
        """Published, open and not expired: what the board, the feed, the search and
        the suggestions show."""
        today = today or timezone.localdate()
        return self.live().filter(
            status=OpportunityPage.Status.OPEN,
            expires_on__gte=today,
            organisation__live=True,
            organisation__merged_into__isnull=True,
        )

    def of_organisation(self, actor) -> OpportunityQuerySet:
        return self.filter(organisation=actor)


OpportunityManager = PageManager.from_queryset(OpportunityQuerySet)


class OpportunityBoardPage(RoutablePageMixin, Page):
    """The public board of current opportunities: facets, text query, sort, pagination,
    RSS/Atom feeds and exports (its routes answer through
    :mod:`cobioe_cms.community.opportunity_board`)."""

    intro = RichTextField(_("introduction"), blank=True)
    per_page = models.PositiveSmallIntegerField(_("opportunities per page"), default=20)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("per_page")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types = ["cobioe_community.OpportunityPage"]
    max_count_per_parent = 1
    template = "cobioe_community/opportunities/board_page.html"

    class Meta:
        verbose_name = _("opportunities board")
        verbose_name_plural = _("opportunities boards")

    def opportunities(self) -> OpportunityQuerySet:
        return OpportunityPage.objects.child_of(self).current().public()

    # The routes answer through ``opportunity_board``, imported when they are called:
    # it imports the query builder, which reads the community's models.

    @path("")
    def listing(self, request):
        from ..opportunity_board import board_response

        return board_response(self, request)

    @path("feed/<str:fmt>/")
    def feed(self, request, fmt):
        from ..opportunity_board import feed_response

        return feed_response(self, request, fmt)

    @path("export/csv/")
    def export_csv(self, request):
        from ..opportunity_board import export_response

        return export_response(self, request, "csv")

    @path("export/json/")
    def export_json(self, request):
        from ..opportunity_board import export_response

        return export_response(self, request, "json")

    def url_for(self, request, route: str = "listing", **kwargs) -> str:
        """The URL of one of this page's routes (site-relative when possible)."""
        return self.get_url(request) + self.reverse_subpage(route, kwargs=kwargs)


class OpportunityPage(Page):
    """One offer or request, posted on behalf of an organisation (``organisation``) by
    one of its representatives, on the shared taxonomies."""

    class Direction(models.TextChoices):
        OFFER = "offer", _("offer")
        REQUEST = "request", _("request")

    class Kind(models.TextChoices):
        CAPACITY = "capacity", _("manufacturing capacity")
        SERVICE = "service", _("CDMO / CRO service")
        RESEARCH = "research", _("R&D partnership")
        TRANSFER = "transfer", _("technology transfer or licensing")
        TRAINING = "training", _("training")
        EQUIPMENT = "equipment", _("equipment sharing")
        CONSORTIUM = "consortium", _("consortium for a funding call")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    organisation = models.ForeignKey(
        "cobioe_actors.ActorPage",
        verbose_name=_("organisation"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    direction = models.CharField(
        _("offer or request"), max_length=8, choices=Direction.choices, default=Direction.OFFER
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.TextField(
        _("description"),
        max_length=MAX_DESCRIPTION,
        help_text=_("Plain text; Markdown-style emphasis, lists and links are kept."),
    )
    stages = ParentalManyToManyField(
        "cobioe_core.ValueChainStage",
        verbose_name=_("value-chain stages"),
        blank=True,
        related_name="opportunities",
    )
    modalities = ParentalManyToManyField(
        "cobioe_core.Modality",
        verbose_name=_("modalities and technologies"),
        blank=True,
        related_name="opportunities",
    )
    therapeutic_areas = ParentalManyToManyField(
        "cobioe_core.TherapeuticArea",
        verbose_name=_("therapeutic areas"),
        blank=True,
        related_name="opportunities",
    )
    scales = ParentalManyToManyField(
        "cobioe_core.Scale", verbose_name=_("scales"), blank=True, related_name="opportunities"
    )
    gmp_status = models.ForeignKey(
        "cobioe_core.GMPStatus",
        verbose_name=_("GMP status"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    countries = CountryField(
        _("countries sought"),
        countries=EuropeanCountries,
        multiple=True,
        blank=True,
        help_text=_("Leave empty for anywhere in Europe."),
    )
    expires_on = models.DateField(_("expires on"), default=default_expiry)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # When the expiry reminder for the current ``expires_on`` went out (renewal clears it).
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = OpportunityManager()

    parent_page_types = ["cobioe_community.OpportunityBoardPage"]
    subpage_types: list[str] = []
    template = "cobioe_community/opportunities/opportunity_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("organisation"),
        MultiFieldPanel(
            [FieldPanel("direction"), FieldPanel("kind"), FieldPanel("description")],
            heading=_("What"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("stages", widget=forms.CheckboxSelectMultiple),
                FieldPanel("modalities", widget=forms.CheckboxSelectMultiple),
                FieldPanel("therapeutic_areas", widget=forms.CheckboxSelectMultiple),
                FieldPanel("scales", widget=forms.CheckboxSelectMultiple),
                FieldPanel("gmp_status"),
                FieldPanel("countries"),
            ],
            heading=_("Topics and capacities"),
        ),
        MultiFieldPanel([FieldPanel("expires_on"), FieldPanel("status")], heading=_("Status")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.FilterField("status"),
        index.FilterField("expires_on"),
        index.FilterField("direction"),
        index.FilterField("kind"),
    ]

    class Meta:
        verbose_name = _("collaboration opportunity")
        verbose_name_plural = _("collaboration opportunities")

    def is_current(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        organisation = self.organisation
        return (
            self.live
            and self.status == self.Status.OPEN
            and self.expires_on >= today
            and organisation is not None
            and organisation.live
            and organisation.merged_into_id is None
        )

    def is_expired(self, today: date | None = None) -> bool:
        return self.expires_on < (today or timezone.localdate())

    def serve(self, request, *args, **kwargs):
        """A live opportunity whose organisation is unpublished or merged is not shown
        (404, as the profile is); an editor's preview still is. A closed or expired one
        is shown, saying so (``get_context``)."""
        organisation = self.organisation
        previewing = getattr(request, "is_preview", False)
        if not previewing and (
            organisation is None or not organisation.live or organisation.merged_into_id is not None
        ):
            raise Http404("The organisation of this opportunity is not published")
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["is_current"] = self.is_current()
        context["is_expired"] = self.is_expired()
        context["board"] = self.get_parent()
        return context
