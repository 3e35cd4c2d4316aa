"""The contact relay's forms: the first message to an organisation, an answer in a
conversation, and a recipient's report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import IdChoiceField
from .models.relay import MAX_BODY, MAX_SUBJECT
from .relay import MAX_REASON

MESSAGE_HELP = _(
    "Plain text. The organisation's representatives receive it by e-mail with your name, "
    "your organisation and your address, so that they can answer you."
)


def _one_line(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise forms.ValidationError(_("The subject must hold on one line."))
    return value


class ContactForm(forms.Form):
    """A first message. ``on_behalf_of`` is offered to members who represent live
    organisations (the field is left out for the others)."""

    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT, strip=True)
    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_BODY,
        help_text=MESSAGE_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    on_behalf_of = IdChoiceField(
        label=_("On behalf of"),
        queryset=None,
        required=False,
        empty_label=_("Myself only"),
        help_text=_("The organisation you represent that this message comes from."),
    )

    def __init__(self, organisations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations.exists():
            self.fields["on_behalf_of"].queryset = organisations
        else:
            del self.fields["on_behalf_of"]

    def clean_subject(self):
        return _one_line(self.cleaned_data["subject"])


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 6})
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this conversation?"),
        help_text=_("The editors read it; the sender does not."),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
