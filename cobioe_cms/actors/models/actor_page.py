"""The actor profile: one organisation of the bioproduction ecosystem."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cobioe_cms.core.countries import EuropeanCountries

from ..geocoding import locate_city
from .search_text import SEARCHED_RELATIONS, search_fields_for

STALE_AFTER = datetime.timedelta(days=365)


class SizeBand(models.TextChoices):
    MICRO = "1-9", _("1–9 employees")
    SMALL = "10-49", _("10–49 employees")
    MEDIUM = "50-249", _("50–249 employees")
    LARGE = "250-999", _("250–999 employees")
    VERY_LARGE = "1000+", _("1,000 employees or more")


class LocationPrecision(models.TextChoices):
    EXACT = "exact", _("exact coordinates")
    CITY = "city", _("centre of the city")
    NONE = "", _("unknown")


class ActorPageTag(TaggedItemBase):
    """Keywords of an actor profile (django-taggit through the page's cluster)."""

    content_object = ParentalKey(
        "cobioe_actors.ActorPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ActorPageQuerySet(PageQuerySet):
    def in_country(self, code: str) -> "ActorPageQuerySet":
        return self.filter(country=code.upper())

    def related_to(self, actor: "ActorPage", limit: int = 6) -> "ActorPageQuerySet":
        """Published actors sharing the most value-chain stages and modalities."""
        stage_ids = [s.pk for s in actor.stages.all()]
        modality_ids = [m.pk for m in actor.modalities.all()]
        if not stage_ids and not modality_ids:
            return self.none()
        shared = Q(stages__in=stage_ids) | Q(modalities__in=modality_ids)
        return (
            self.live()
            .public()
            .exclude(pk=actor.pk)
            .filter(pk__in=self.filter(shared).values("pk"))
            .annotate(
                score=Count("stages", filter=Q(stages__in=stage_ids), distinct=True)
                + Count("modalities", filter=Q(modalities__in=modality_ids), distinct=True)
            )
            .select_related("organisation_type")
            .order_by("-score", "title")[:limit]
        )


ActorPageManager = PageManager.from_queryset(ActorPageQuerySet)


class ActorPage(Page):
    """An organisation (company, CDMO, lab, training centre, cluster...) positioned on
    the bioproduction value chain. Lives under a :class:`CartographyPage`, which lists,
    maps and exports its published children. Taxonomy fields point to ``core`` terms.
    """

    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    organisation_type = models.ForeignKey(
        "cobioe_core.OrganisationType",
        verbose_name=_("organisation type"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("summary"), max_length=500, blank=True)
    description = RichTextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("public contact e-mail"), blank=True)
    contact_phone = models.CharField(_("public contact phone"), max_length=40, blank=True)

    address = models.CharField(_("address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    country = CountryField(_("country"), countries=EuropeanCountries, db_index=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Leave both coordinates empty to place the actor at its city."),
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    location_precision = models.CharField(
        _("location precision"),
        max_length=5,
        choices=LocationPrecision.choices,
        blank=True,
        default=LocationPrecision.NONE,
        editable=False,
    )

    stages = ParentalManyToManyField(
        "cobioe_core.ValueChainStage", verbose_name=_("value-chain stages"), blank=True
    )
    modalities = ParentalManyToManyField(
        "cobioe_core.Modality", verbose_name=_("modalities and technologies"), blank=True
    )
    therapeutic_areas = ParentalManyToManyField(
        "cobioe_core.TherapeuticArea", verbose_name=_("therapeutic areas"), blank=True
    )
    services = ParentalManyToManyField(
        "cobioe_core.Service", verbose_name=_("services offered"), blank=True
    )
    scales = ParentalManyToManyField(
        "cobioe_core.Scale", verbose_name=_("production scales"), blank=True
    )
    gmp_status = models.ForeignKey(
        "cobioe_core.GMPStatus",
        verbose_name=_("GMP status"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expression_systems = ParentalManyToManyField(
        "cobioe_core.ExpressionSystem", verbose_name=_("expression systems"), blank=True
    )
    max_bioreactor_volume = models.PositiveIntegerField(
        _("largest bioreactor (litres)"), null=True, blank=True
    )
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True)
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    partners_sought = models.TextField(_("partners sought"), max_length=2000, blank=True)
    keywords = ClusterTaggableManager(verbose_name=_("keywords"), through=ActorPageTag, blank=True)

    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("The consortium has checked this profile with the organisation."),
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    is_demo = models.BooleanField(
        _("demo data"),
        default=False,
        help_text=_("Synthetic profile generated for demonstrations."),
    )
    # Set when an editor merged this profile into another one (the duplicate finder):
    # the page is unpublished and its URL redirects to the profile it was merged into.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The analysed text of the profile (:func:`search_fields_for`): what every text
    # query of the site matches, identically on SQLite, PostgreSQL and the cluster.
    search_text = models.TextField(editable=False, blank=True, default="")
    search_name = models.TextField(editable=False, blank=True, default="")
    search_terms = models.TextField(editable=False, blank=True, default="")

    objects = ActorPageManager()

    parent_page_types = ["cobioe_actors.CartographyPage"]
    subpage_types: list[str] = []
    template = "cobioe_actors/actor_page.html"

    search_fields = [
        *Page.search_fields,
        index.SearchField("acronym"),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("city"),
        index.AutocompleteField("acronym"),
        index.FilterField("country"),
        index.FilterField("verified"),
        index.RelatedFields("keywords", [index.SearchField("name")]),
    ]

    identity_panels = [
        FieldPanel("title"),
        FieldPanel("acronym"),
        FieldPanel("organisation_type"),
        FieldPanel("logo"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("size_band"), FieldPanel("year_founded")]),
        FieldPanel("keywords"),
    ]
    positioning_panels = [
        FieldPanel("stages", widget=forms.CheckboxSelectMultiple),
        FieldPanel("modalities", widget=forms.CheckboxSelectMultiple),
        FieldPanel("therapeutic_areas", widget=forms.CheckboxSelectMultiple),
        FieldPanel("services", widget=forms.CheckboxSelectMultiple),
        FieldPanel("partners_sought"),
    ]
    capacity_panels = [
        FieldPanel("scales", widget=forms.CheckboxSelectMultiple),
        FieldPanel("gmp_status"),
        FieldPanel("expression_systems", widget=forms.CheckboxSelectMultiple),
        FieldPanel("max_bioreactor_volume"),
    ]
    location_panels = [
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
        FieldRowPanel([FieldPanel("region"), FieldPanel("country")]),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
            heading=_("Coordinates"),
        ),
    ]
    contact_panels = [
        FieldPanel("website"),
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
    ]
    review_panels = [FieldPanel("verified"), FieldPanel("last_reviewed")]

    edit_handler = TabbedInterface(
        [
            ObjectList(identity_panels, heading=_("Identity")),
            ObjectList(positioning_panels, heading=_("Value chain")),
            ObjectList(capacity_panels, heading=_("Capacities")),
            ObjectList(location_panels, heading=_("Location")),
            ObjectList(contact_panels, heading=_("Contact")),
            ObjectList(review_panels, heading=_("Review")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    class Meta:
        verbose_name = _("actor profile")
        verbose_name_plural = _("actor profiles")

    # -- derived data ------------------------------------------------------------

    @property
    def is_stale(self) -> bool:
        """Not reviewed for twelve months (or never)."""
        if self.last_reviewed is None:
            return True
        return timezone.now().date() - self.last_reviewed > STALE_AFTER

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def update_location(self, previous: "ActorPage | None" = None) -> None:
        """Keep coordinates an editor typed; otherwise derive them from the city.

        Coordinates count as typed by an editor unless they are the ones derived at
        the previous save and were left untouched (then a new city re-derives them).
        """
        coordinates = (self.latitude, self.longitude)
        untouched_derived = (
            previous is not None
            and previous.location_precision == LocationPrecision.CITY
            and (previous.latitude, previous.longitude) == coordinates
        )
        if None not in coordinates and not untouched_derived:
            self.location_precision = LocationPrecision.EXACT
            return
        found = locate_city(self.city, str(self.country))
        if found:
            self.latitude, self.longitude = found
            self.location_precision = LocationPrecision.CITY
        else:
            self.latitude = self.longitude = None
            self.location_precision = LocationPrecision.NONE

    def add_parent_stages(self) -> None:
        """A sub-stage implies its parent stage (fill & finish implies production)."""
        chosen = list(self.stages.all())
        chosen_ids = {stage.pk for stage in chosen}
        missing = {s.parent_id for s in chosen if s.parent_id} - chosen_ids
        if missing:
            from cobioe_cms.core.models import ValueChainStage

            self.stages.add(*ValueChainStage.objects.filter(pk__in=missing))

    def build_search_fields(self) -> dict:
        terms = [term for relation in SEARCHED_RELATIONS for term in getattr(self, relation).all()]
        if self.organisation_type_id:
            terms.append(self.organisation_type)
        return search_fields_for(
            self.title,
            self.acronym,
            [self.summary, self.city, self.region],
            str(self.country),
            [tag.name for tag in self.keywords.all()],
            terms,
        )

    def update_search_fields(self) -> None:
        for field, value in self.build_search_fields().items():
            setattr(self, field, value)

    def save(self, *args, **kwargs):
        previous = None
        if self.pk:
            previous = (
                ActorPage.objects.filter(pk=self.pk)
                .only("latitude", "longitude", "location_precision")
                .first()
            )
        self.update_location(previous)
        self.add_parent_stages()
        self.update_search_fields()
        result = super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "search_text" in update_fields:
            from .search_tokens import write_tokens

            write_tokens([self])
        return result

    # -- page context --------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_actors"] = ActorPage.objects.related_to(self)
        return context
