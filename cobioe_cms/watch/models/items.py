"""External sources (RSS/Atom feeds managed by editors) and the items ingested from
them, classified on the same taxonomies as actors and news."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cobioe_cms.core.countries import EuropeanCountries

from ..net import private_host, private_sources_allowed


class Source(models.Model):
    """A feed the platform reads regularly. Its health fields tell editors whether it
    still works (last success, last error, items fetched)."""

    class Language(models.TextChoices):
        EN = "en", _("English")
        FR = "fr", _("French")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("feed URL (RSS or Atom)"), max_length=500, unique=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.EN
    )
    active = models.BooleanField(_("active"), default=True)
    stages = models.ManyToManyField(
        "cobioe_core.ValueChainStage", blank=True, verbose_name=_("default stages")
    )
    modalities = models.ManyToManyField(
        "cobioe_core.Modality", blank=True, verbose_name=_("default modalities")
    )
    therapeutic_areas = models.ManyToManyField(
        "cobioe_core.TherapeuticArea", blank=True, verbose_name=_("default therapeutic areas")
    )
    countries = CountryField(
        _("default countries"), multiple=True, countries=EuropeanCountries, blank=True
    )

    # Conditional GET and health.
    etag = models.CharField(max_length=255, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_fetched_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    items_fetched = models.PositiveIntegerField(_("items fetched"), default=0, editable=False)

    class Meta:
        verbose_name = _("watch source")
        verbose_name_plural = _("watch sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Only what is certain without DNS (localhost, a literal private IP): names are
        # checked when fetched, each time, since their addresses can change.
        super().clean()
        host = private_host(self.url)
        if host and not private_sources_allowed():
            raise ValidationError(
                {
                    "url": _(
                        "%(host)s is on a private network: the watch only reads feeds "
                        "from the public internet."
                    )
                    % {"host": host}
                }
            )


class WatchItem(models.Model):
    """One article from a source, deduplicated by canonical URL; an item whose title
    is near-identical to an earlier item of another source points to it."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("canonical URL"), max_length=1000, unique=True)
    guid = models.CharField(max_length=500, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(max_length=5, blank=True)
    published_at = models.DateTimeField(_("published"), db_index=True)
    fetched_at = models.DateTimeField(auto_now_add=True, db_index=True)
    title_key = models.CharField(max_length=300, db_index=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    stages = models.ManyToManyField("cobioe_core.ValueChainStage", blank=True)
    modalities = models.ManyToManyField("cobioe_core.Modality", blank=True)
    therapeutic_areas = models.ManyToManyField("cobioe_core.TherapeuticArea", blank=True)
    countries = CountryField(multiple=True, countries=EuropeanCountries, blank=True)
    actors = models.ManyToManyField(
        "cobioe_actors.ActorPage", blank=True, related_name="watch_items"
    )
    keywords_text = models.TextField(
        blank=True, editable=False, help_text="Folded title and summary, for keyword matching."
    )

    class Meta:
        verbose_name = _("watch item")
        verbose_name_plural = _("watch items")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title
