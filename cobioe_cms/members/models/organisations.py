"""The link between members and the organisations (actor profiles) they represent."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def website_domain(url: str) -> str:
    """'https://www.genopole.com/fr/' -> 'genopole.com'."""
    from urllib.parse import urlsplit

    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.").lower()


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


class Representative(models.Model):
    """A member who may edit an organisation's profile and invite colleagues."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations"
    )
    actor = models.ForeignKey(
        "cobioe_actors.ActorPage", on_delete=models.CASCADE, related_name="representatives"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        constraints = [
            models.UniqueConstraint(fields=["user", "actor"], name="unique_representative")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.actor}"


class Claim(models.Model):
    """A member's request to represent an existing organisation, reviewed by editors.

    The member's e-mail domain matching the organisation's website domain is shown to
    editors as evidence; it does not approve anything by itself.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims"
    )
    actor = models.ForeignKey(
        "cobioe_actors.ActorPage", on_delete=models.CASCADE, related_name="claims"
    )
    message = models.TextField(_("message to the editors"), max_length=2000, blank=True)
    email = models.EmailField(_("e-mail used as evidence"))
    domain_matches = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, max_length=2000)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "actor"],
                condition=models.Q(status="pending"),
                name="one_pending_claim_per_user_and_actor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} claims {self.actor}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A representative's invitation of a colleague (by e-mail) to co-represent."""

    actor = models.ForeignKey(
        "cobioe_actors.ActorPage", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("colleague's e-mail"))
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    VALID_FOR_DAYS = 14

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.actor}"

    @property
    def is_expired(self) -> bool:
        age = timezone.now() - self.created_at
        return age.days >= self.VALID_FOR_DAYS


class OrganisationFlag(models.Model):
    """Something editors should look at, e.g. an organisation left without
    representatives after an account deletion."""

    actor = models.ForeignKey(
        "cobioe_actors.ActorPage", on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("organisation flag")
        verbose_name_plural = _("organisation flags")
        ordering = ["resolved", "-created_at"]

    def __str__(self) -> str:
        return f"{self.actor}: {self.reason}"


class ReminderLog(models.Model):
    """When a representative was last reminded to confirm a stale profile, so a
    reminder run that restarts sends nobody a second copy."""

    actor = models.ForeignKey("cobioe_actors.ActorPage", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["actor", "user", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.user} reminded about {self.actor} on {self.sent_at:%Y-%m-%d}"
