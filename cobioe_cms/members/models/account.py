"""What the platform records about a member beyond Django's user: consents."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberProfile(models.Model):
    """One per user: the privacy-policy consent given at sign-up (version and date)
    and the opt-in to marketing e-mails (never on by default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_profile"
    )
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    privacy_policy_version = models.CharField(max_length=20, blank=True)
    privacy_consent_at = models.DateTimeField(null=True, blank=True)
    marketing_opt_in = models.BooleanField(_("news and event e-mails"), default=False)
    marketing_opt_in_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")

    def __str__(self) -> str:
        return self.full_name or self.user.get_username()
