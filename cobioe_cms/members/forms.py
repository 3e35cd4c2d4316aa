"""Forms members fill in: sign-up consent, their organisation's profile, claims,
invitations and account deletion."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import ClusterForm

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.conf import conf
from cobioe_cms.core.vocabulary import TERM_RELATIONS

from .models import MemberProfile

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}


def quiet_wagtail_notifications(user) -> None:
    """Members hear about their profile's review from this app's own e-mails; Wagtail's
    notifications point to an admin they cannot use."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.approved_notifications = False
    profile.rejected_notifications = False
    profile.updated_comments_notifications = False
    profile.save()


class SignupForm(forms.Form):
    """Extra sign-up fields (django-allauth calls ``signup`` once the user exists)."""

    field_order = ["email", "full_name", "password1", "password2"]

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    privacy_consent = forms.BooleanField(
        label=_("I have read and accept the privacy policy."),
        help_text=_("The privacy policy is linked at the bottom of every page."),
        required=True,
    )
    marketing_opt_in = forms.BooleanField(
        label=_("Send me news and event announcements (optional)."), required=False
    )

    def signup(self, request, user):
        now = timezone.now()
        quiet_wagtail_notifications(user)
        opt_in = self.cleaned_data.get("marketing_opt_in", False)
        MemberProfile.objects.update_or_create(
            user=user,
            defaults={
                "full_name": self.cleaned_data["full_name"],
                "privacy_policy_version": conf.PRIVACY_POLICY_VERSION,
                "privacy_consent_at": now,
                "marketing_opt_in": opt_in,
                "marketing_opt_in_at": now if opt_in else None,
            },
        )


PROFILE_FIELDS = [
    "title",
    "acronym",
    "organisation_type",
    "summary",
    "website",
    "contact_email",
    "contact_phone",
    "address",
    "postcode",
    "city",
    "region",
    "country",
    "stages",
    "modalities",
    "therapeutic_areas",
    "services",
    "scales",
    "gmp_status",
    "expression_systems",
    "max_bioreactor_volume",
    "size_band",
    "year_founded",
    "partners_sought",
]
CHECKBOXES = TERM_RELATIONS


class OrganisationForm(ClusterForm):
    """The profile fields a representative edits (not the verified flag, not the
    review date, not the coordinates: those are the editors')."""

    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = ActorPage
        fields = PROFILE_FIELDS
        widgets = dict.fromkeys(CHECKBOXES, forms.CheckboxSelectMultiple)
        labels = {"title": _("Name of the organisation")}
        help_texts = {
            "title": _("Its usual name, as your partners know it."),
            "summary": _("Two or three sentences: what you do, for whom."),
        }

    # Not the page's ``logo``: an upload waits in private storage until the editors
    # approve the profile (organisations.keep_pending_logo, review.release_pending_logo).
    logo_file = forms.ImageField(
        label=_("Logo"),
        required=False,
        help_text=_(
            "PNG, JPEG or WebP, at most 2 MB. It appears on the public profile once the "
            "editors have approved it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation_type"].required = True
        self.fields["country"].required = True

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return upload
        if upload.size > LOGO_MAX_BYTES:
            raise ValidationError(_("The logo is larger than 2 MB."))
        image_format = getattr(getattr(upload, "image", None), "format", None)
        if image_format not in LOGO_FORMATS:
            raise ValidationError(_("The logo must be a PNG, JPEG or WebP image."))
        width, height = upload.image.size
        if width > 4000 or height > 4000:
            raise ValidationError(_("The logo is larger than 4000 × 4000 pixels."))
        return upload

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if len(title) < 2:
            raise ValidationError(_("Enter the organisation's name."))
        return title


class ClaimForm(forms.Form):
    message = forms.CharField(
        label=_("Your role in the organisation, and anything that helps the editors"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Your colleague's e-mail address"))


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data will be deleted.")
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("This is not your password."))
        return password
