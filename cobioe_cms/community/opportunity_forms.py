"""The form a representative fills in to post or edit an opportunity: every field of
:class:`~.models.OpportunityPage` a representative sets (not the status, changed by
closing and reopening, nor who posted it)."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import ClusterForm

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.models import GMPStatus, Modality, Scale, TherapeuticArea, ValueChainStage

from .forms import IdChoiceField
from .models import OpportunityPage
from .models.opportunities import latest_expiry

TITLE_MAX_LENGTH = 150
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


class TermsField(forms.ModelMultipleChoiceField):
    """Taxonomy terms by slug (an unknown slug is an invalid choice), labelled in the
    visitor's language."""

    def __init__(self, queryset, **kwargs):
        super().__init__(
            queryset=queryset,
            to_field_name="slug",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )


class OpportunityForm(ClusterForm):
    """``organisations``: those the member may post for (the choice, when creating);
    an opportunity's organisation does not change once posted."""

    organisation = IdChoiceField(label=_("Organisation"), queryset=None, empty_label=None)
    # A sub-stage is labelled with its parent ("Production › Fill & finish").
    stages = TermsField(
        ValueChainStage.objects.select_related("parent"), label=_("Value-chain stages")
    )
    modalities = TermsField(Modality.objects.all(), label=_("Modalities and technologies"))
    therapeutic_areas = TermsField(TherapeuticArea.objects.all(), label=_("Therapeutic areas"))
    scales = TermsField(Scale.objects.all(), label=_("Scales"))
    gmp_status = forms.ModelChoiceField(
        label=_("GMP status"),
        queryset=GMPStatus.objects.all(),
        to_field_name="slug",
        required=False,
    )

    class Meta:
        model = OpportunityPage
        fields = [
            "title",
            "organisation",
            "direction",
            "kind",
            "description",
            "stages",
            "modalities",
            "therapeutic_areas",
            "scales",
            "gmp_status",
            "countries",
            "expires_on",
        ]
        widgets = {
            "direction": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 10}),
            "countries": forms.SelectMultiple(attrs={"size": 8}),
            "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {"title": _("Title")}
        help_texts = {
            "title": _("One line that says what you offer or look for."),
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        field = self.fields["organisation"]
        if self.instance.pk:
            field.queryset = ActorPage.objects.filter(pk=self.instance.organisation_id)
            field.disabled = True
        else:
            field.queryset = organisations
        title = self.fields["title"]
        title.max_length = TITLE_MAX_LENGTH
        title.validators = [v for v in title.validators if not isinstance(v, MaxLengthValidator)]
        title.validators.append(MaxLengthValidator(TITLE_MAX_LENGTH))
        title.widget.attrs["maxlength"] = TITLE_MAX_LENGTH
        latest = latest_expiry(self.today)
        self.fields["expires_on"].widget.attrs.update(
            {"min": self.today.isoformat(), "max": latest.isoformat()}
        )
        self.fields["expires_on"].help_text = _(
            "At most six months from today (%(date)s). A reminder comes before it lapses, "
            "with a link to renew it in one click."
        ) % {"date": formats.date_format(latest, "DATE_FORMAT")}

    def clean_title(self):
        title = self.cleaned_data["title"]
        if CONTROL_CHARACTERS.search(title):
            raise ValidationError(_("The title must be one line, without line breaks."))
        title = " ".join(title.split())
        if len(title) < 5:
            raise ValidationError(_("Enter a title of at least five characters."))
        return title

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        if expires_on < self.today:
            raise ValidationError(_("The expiry date is in the past."))
        latest = latest_expiry(self.today)
        if expires_on > latest:
            raise ValidationError(
                _("An opportunity is posted for at most six months: choose %(date)s or earlier.")
                % {"date": formats.date_format(latest, "DATE_FORMAT")}
            )
        return expires_on
