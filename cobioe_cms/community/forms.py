from django import forms
from django.utils.translation import gettext_lazy as _

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
