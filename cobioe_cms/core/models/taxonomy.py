"""Shared vocabulary: the taxonomies every profile, news item and interest uses.

Each taxonomy is a small editable table (managed by editors in the admin, seeded from
``core/fixtures/taxonomies.json``) with an English and a French label. Terms are referred to
in URLs by their slug, so a cartography link stays valid when a label is reworded.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TaxonomyTerm(models.Model):
    """Abstract base of every taxonomy: a slug, bilingual labels and an order."""

    name = models.CharField(_("name (English)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    keywords = models.TextField(
        _("keywords and synonyms"),
        blank=True,
        help_text=_(
            "One per line, in English or French (e.g. 'mAb', 'anticorps'). News and "
            "watch items that contain one are classified under this term; the labels "
            "count too."
        ),
    )

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.label

    def match_phrases(self) -> list[str]:
        """The phrases that classify a text under this term: labels and keywords."""
        phrases = [self.name, self.name_fr, *self.keywords.splitlines()]
        return [p.strip() for p in phrases if p and p.strip()]

    @property
    def label(self) -> str:
        """The label in the active language, falling back to English."""
        if (get_language() or "").startswith("fr") and self.name_fr:
            return self.name_fr
        return self.name


class ValueChainStage(TaxonomyTerm):
    """A position on the bioproduction value chain (training ... post-marketing).

    Stages have at most two levels: a sub-stage (e.g. fill & finish) names its parent
    (production). An actor placed on a sub-stage is also placed on its parent, so that
    filtering on "production" finds it.
    """

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent stage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
    )

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("value-chain stage")
        verbose_name_plural = _("value-chain stages")

    def __str__(self) -> str:
        if self.parent_id:
            return f"{self.parent.label} › {self.label}"
        return self.label


class Modality(TaxonomyTerm):
    """A bioproduction modality or technology (monoclonal antibodies, mRNA, ...)."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("modality")
        verbose_name_plural = _("modalities")


class TherapeuticArea(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("therapeutic area")
        verbose_name_plural = _("therapeutic areas")


class OrganisationType(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("organisation type")
        verbose_name_plural = _("organisation types")


class Service(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("service")
        verbose_name_plural = _("services")


class Scale(TaxonomyTerm):
    """Production scale: lab, pilot, clinical, commercial."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("scale")
        verbose_name_plural = _("scales")


class GMPStatus(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("GMP status")
        verbose_name_plural = _("GMP statuses")


class ExpressionSystem(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("expression system")
        verbose_name_plural = _("expression systems")


# Fixture key -> model; the order is the one of core/fixtures/taxonomies.json.
TAXONOMIES: dict[str, type[TaxonomyTerm]] = {
    "value_chain_stages": ValueChainStage,
    "modalities": Modality,
    "therapeutic_areas": TherapeuticArea,
    "organisation_types": OrganisationType,
    "services": Service,
    "scales": Scale,
    "gmp_statuses": GMPStatus,
    "expression_systems": ExpressionSystem,
}
