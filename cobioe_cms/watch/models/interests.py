"""What each member wants to watch, their feedback, saved cartography searches, and
the record of digests sent (so that a restarted run sends nobody a second copy)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cobioe_cms.core.countries import EuropeanCountries


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class InterestProfile(models.Model):
    """A member's fields of interest. An item matches when it shares at least one
    term, country, keyword or followed organisation, and contains no excluded word."""

    class Digest(models.TextChoices):
        NONE = "none", _("no e-mail")
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interest_profile"
    )
    stages = models.ManyToManyField(
        "cobioe_core.ValueChainStage", blank=True, verbose_name=_("value-chain stages")
    )
    modalities = models.ManyToManyField(
        "cobioe_core.Modality", blank=True, verbose_name=_("modalities")
    )
    therapeutic_areas = models.ManyToManyField(
        "cobioe_core.TherapeuticArea", blank=True, verbose_name=_("therapeutic areas")
    )
    countries = CountryField(_("countries"), multiple=True, countries=EuropeanCountries, blank=True)
    keywords = models.TextField(
        _("keywords"), blank=True, max_length=2000, help_text=_("One per line.")
    )
    excluded_keywords = models.TextField(
        _("never show items containing"),
        blank=True,
        max_length=2000,
        help_text=_("One per line."),
    )
    followed_actors = models.ManyToManyField(
        "cobioe_actors.ActorPage",
        blank=True,
        verbose_name=_("organisations followed"),
        related_name="followers",
    )
    digest = models.CharField(
        _("e-mail digest"), max_length=10, choices=Digest.choices, default=Digest.NONE
    )
    digest_opt_in_at = models.DateTimeField(null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("interest profile")
        verbose_name_plural = _("interest profiles")

    def __str__(self) -> str:
        return f"{self.user}"

    def keyword_list(self) -> list[str]:
        return _lines(self.keywords)

    def excluded_list(self) -> list[str]:
        return _lines(self.excluded_keywords)


class SavedSearch(models.Model):
    """A cartography search (its query string) a member saved, optionally with an
    alert when new actors match it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=100)
    cartography = models.ForeignKey(
        "cobioe_actors.CartographyPage", on_delete=models.CASCADE, related_name="+"
    )
    querystring = models.CharField(max_length=2000, blank=True)
    alert = models.BooleanField(_("e-mail me about new actors"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ItemFeedback(models.Model):
    """'Not relevant': hides the item and lowers similar items in the member's feed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    item = models.ForeignKey("cobioe_watch.WatchItem", on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "item"], name="one_feedback_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.user} ✗ {self.item}"


class DigestDelivery(models.Model):
    """One digest for one member and one period (e.g. 'daily:2026-11-27'). Created
    before sending and marked sent after: a restarted run skips what was sent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    period = models.CharField(max_length=30)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="one_digest_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.period}"
