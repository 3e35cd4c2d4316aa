"""Forms of the import steps: the upload, and the column mapping."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cobioe_cms.actors.models import CartographyPage
from cobioe_cms.core.countries import EUROPE, country_name

from .mapping import FIELDS, FIELDS_BY_KEY, Mapping, mapping_errors
from .reader import MAX_FILE_SIZE, MAX_ROWS, ImportFileError, Table, read_upload

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

SAMPLE_VALUES = 3


def cartographies_for(user: AbstractBaseUser) -> list[CartographyPage]:
    """The cartographies where ``user`` may add profiles."""
    return [
        page
        for page in CartographyPage.objects.order_by("path")
        if page.permissions_for_user(user).can_add_subpage()
    ]


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    cartography = forms.TypedChoiceField(
        label=gettext_lazy("Add the profiles to"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A CSV (UTF-8 or Windows encoding, comma or semicolon separated) or an XLSX "
            "workbook (first sheet), with one header row. Up to %(size)d MB and %(rows)s rows."
        ) % {"size": MAX_FILE_SIZE // (1024 * 1024), "rows": f"{MAX_ROWS:,}"}
        self.cartographies = {page.pk: page for page in cartographies_for(user)}
        field = self.fields["cartography"]
        field.choices = [(pk, page.title) for pk, page in self.cartographies.items()]
        if len(self.cartographies) == 1:
            field.initial = next(iter(self.cartographies))
            field.widget = forms.HiddenInput()
        self.table: Table | None = None

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.table = read_upload(uploaded)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return uploaded

    def clean_cartography(self):
        pk = self.cleaned_data["cartography"]
        if pk is None and len(self.cartographies) == 1:
            pk = next(iter(self.cartographies))
        if pk not in self.cartographies:
            raise forms.ValidationError(_("Choose a cartography you may add profiles to."))
        return self.cartographies[pk]


class MappingForm(forms.Form):
    """One select per column of the file: the field it feeds, or nothing."""

    default_country = forms.ChoiceField(
        label=gettext_lazy("Country of rows without one"),
        required=False,
        help_text=gettext_lazy("For a list of one country's organisations, e.g. a cluster's."),
    )

    def __init__(self, *args, headers: list[str], rows: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", _("— ignore this column —"))] + [(f.key, f.label) for f in FIELDS]
        for index, header in enumerate(headers):
            samples = [row["cells"][index] for row in rows[:20] if row["cells"][index]]
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                help_text=_("e.g. %(values)s") % {"values": " · ".join(samples[:SAMPLE_VALUES])}
                if samples
                else _("(empty in the first rows)"),
            )
        self.fields["default_country"].choices = [("", "—")] + sorted(
            ((code, country_name(code)) for code in EUROPE), key=lambda c: c[1]
        )

    @classmethod
    def initial_for(cls, mapping: Mapping, default_country: str = "") -> dict:
        initial = {f"column_{index}": key for key, index in mapping.items()}
        initial["default_country"] = default_country
        return initial

    def column_fields(self):
        return [self[f"column_{index}"] for index in range(len(self.headers))]

    def clean(self):
        cleaned = super().clean()
        mapping: Mapping = {}
        for index in range(len(self.headers)):
            key = cleaned.get(f"column_{index}") or ""
            if not key:
                continue
            if key in mapping:
                self.add_error(
                    f"column_{index}",
                    _("“%(field)s” is already fed by the column “%(other)s”.")
                    % {"field": FIELDS_BY_KEY[key].label, "other": self.headers[mapping[key]]},
                )
                continue
            mapping[key] = index
        for message in mapping_errors(mapping, len(self.headers)):
            self.add_error(None, message)
        cleaned["mapping"] = mapping
        return cleaned
