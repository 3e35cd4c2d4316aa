from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.forms import XtdCommentForm

from .models.discussions import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from .models.memberships import MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH  # 1,000 both


class JoinRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you want to join?"),
        help_text=_("The coordinators read it to decide (at most 1,000 characters)."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the member (optional)"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GroupInvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class GroupProposalForm(forms.ModelForm):
    class Meta:
        from .models import GroupProposal

        model = GroupProposal
        fields = ["title", "summary", "mission", "membership_policy", "discussion_visibility"]
        widgets = {
            "mission": forms.Textarea(attrs={"rows": 6}),
            "membership_policy": forms.RadioSelect,
            "discussion_visibility": forms.RadioSelect,
        }
        help_texts = {
            "summary": _("One sentence, shown in the list of groups."),
            "mission": _("What the group is for, and who should join it."),
        }


class ThreadForm(forms.Form):
    """A new thread (or its edit): a title and the opening message. ``website`` is a
    honeypot: hidden from people, filled by bots, and then the post is refused."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX_LENGTH,
        help_text=_(
            "Plain text with light formatting: **bold**, *italics*, > quotes, lists, links. "
            "Mention an organisation with @ and its profile's address name (@genopole)."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("This post looks automated; it was not sent."))
        return ""


class ReplyForm(XtdCommentForm):
    """A reply: django-comments-xtd's form (the target's content type and id, signed
    with a timestamp; the honeypot; ``reply_to``) without the name, e-mail, web site and
    follow-up fields of anonymous comments: replies come from signed-in members, and
    replying follows the thread."""

    def __init__(self, target_object, *args, **kwargs):
        super().__init__(target_object, *args, **kwargs)
        for name in ("name", "email", "url", "followup"):
            del self.fields[name]
        field = self.fields["comment"]
        field.label = _("Your reply")
        field.max_length = BODY_MAX_LENGTH
        field.validators = [MaxLengthValidator(BODY_MAX_LENGTH)]
        field.help_text = ThreadForm.base_fields["body"].help_text
        field.widget = forms.Textarea(attrs={"rows": 5, "maxlength": BODY_MAX_LENGTH})
        self.fields["reply_to"].required = False  # none (or 0): a reply to the thread
        self.fields["honeypot"].label = _("Leave this field empty")
        self.fields["honeypot"].widget.attrs.update(autocomplete="off", tabindex="-1")

    def clean_honeypot(self):
        if self.cleaned_data["honeypot"]:
            raise forms.ValidationError(_("This post looks automated; it was not sent."))
        return ""

    def clean_reply_to(self):
        parent_id = self.cleaned_data.get("reply_to") or 0
        if not 0 <= parent_id < 2**31:  # a database id, or 0 for the thread itself
            raise forms.ValidationError(_("The reply you answer is no longer there."))
        return parent_id


class ReplyEditForm(forms.Form):
    comment = forms.CharField(
        label=_("Your reply"),
        max_length=BODY_MAX_LENGTH,
        help_text=ThreadForm.base_fields["body"].help_text,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class IdChoiceField(forms.ModelChoiceField):
    """A choice among ``queryset`` by id, where an id no table holds (not a number, or
    one too large for the database) is simply not a valid choice."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            number = int(str(value))
        except ValueError:
            number = 0
        if not 0 < number < 2**31:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(number)


class MoveThreadForm(forms.Form):
    group = IdChoiceField(label=_("Move to the group"), queryset=None)

    def __init__(self, groups, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
