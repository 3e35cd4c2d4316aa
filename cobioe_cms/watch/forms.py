from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cobioe_cms.core.vocabulary import TOPIC_RELATIONS

from .models import InterestProfile

CHECKBOXES = TOPIC_RELATIONS


class InterestForm(forms.ModelForm):
    class Meta:
        model = InterestProfile
        fields = [
            *CHECKBOXES,
            "countries",
            "keywords",
            "excluded_keywords",
            "digest",
        ]
        widgets = {
            **dict.fromkeys(CHECKBOXES, forms.CheckboxSelectMultiple),
            "countries": forms.SelectMultiple(attrs={"size": 8}),
            "keywords": forms.Textarea(attrs={"rows": 4}),
            "excluded_keywords": forms.Textarea(attrs={"rows": 3}),
            "digest": forms.RadioSelect,
        }
        help_texts = {
            "digest": _("Only what is new since the previous e-mail. Unsubscribe in one click."),
        }

    def clean_keywords(self):
        return _clean_lines(self.cleaned_data["keywords"])

    def clean_excluded_keywords(self):
        return _clean_lines(self.cleaned_data["excluded_keywords"])

    def save(self, commit=True):
        profile = super().save(commit=False)
        if "digest" in self.changed_data and profile.digest != InterestProfile.Digest.NONE:
            profile.digest_opt_in_at = timezone.now()
        if commit:
            profile.save()
            self.save_m2m()
        return profile


def _clean_lines(text: str) -> str:
    lines = []
    for line in text.splitlines():
        line = " ".join(line.split())[:100]
        if line and line not in lines:
            lines.append(line)
    if len(lines) > 50:
        raise forms.ValidationError(_("At most 50 lines."))
    return "\n".join(lines)


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=_("Name of this search"), max_length=100)
    querystring = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)
    cartography = forms.IntegerField(widget=forms.HiddenInput)
    alert = forms.BooleanField(
        label=_("E-mail me when new actors match it"), required=False, initial=True
    )
