"""Membership pages and actions of the working groups, on the front end.

Every action that changes something is POST-only with Django's CSRF check; the group
comes from the URL and a membership id must belong to it (another group's id is a 404).
Only coordinators of that group, and editors, manage it (403 for anyone else).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cobioe_cms.members.auth import verified_member_required

from . import memberships as rules
from . import proposals
from .forms import DecisionForm, GroupInvitationForm, GroupProposalForm, JoinRequestForm
from .models import GroupInvitation, GroupMembership, WorkingGroupPage


def _group_or_404(pk: int) -> WorkingGroupPage:
    return get_object_or_404(WorkingGroupPage.objects.live().public(), pk=pk)


def _back_to(group: WorkingGroupPage):
    return redirect(group.url or "/")


def _managed_group(request, pk: int) -> WorkingGroupPage:
    group = _group_or_404(pk)
    if not rules.can_manage(request.user, group):
        raise PermissionDenied
    return group


def _membership_in(group: WorkingGroupPage, membership_id: int) -> GroupMembership:
    return get_object_or_404(
        GroupMembership.objects.select_related("user", "group"), pk=membership_id, group=group
    )


def _apply(request, action, *args, success: str, **kwargs):
    try:
        action(*args, **kwargs)
    except rules.Refused as refusal:
        messages.error(request, str(refusal))
        return False
    messages.success(request, success)
    return True


# -- the member's side ----------------------------------------------------------------


@verified_member_required
@require_POST
def join(request, pk: int):
    group = _group_or_404(pk)
    _apply(
        request,
        rules.join,
        request.user,
        group,
        success=_("Welcome to “%(group)s”.") % {"group": group.title},
    )
    return _back_to(group)


@verified_member_required
def request_to_join(request, pk: int):
    group = _group_or_404(pk)
    if group.membership_policy != WorkingGroupPage.Policy.APPROVAL:
        messages.info(request, _("This group does not take requests."))
        return _back_to(group)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _apply(
            request,
            rules.request_to_join,
            request.user,
            group,
            form.cleaned_data["reason"],
            success=_("Your request was sent to the coordinators of “%(group)s”.")
            % {"group": group.title},
        )
        if done:
            return _back_to(group)
    return render(
        request,
        "cobioe_community/request_form.html",
        {"group": group, "form": form, "membership": rules.membership_of(request.user, group)},
    )


@verified_member_required
@require_POST
def leave(request, pk: int):
    group = _group_or_404(pk)
    membership = rules.membership_of(request.user, group)
    if membership is None:
        messages.error(request, _("You are not a member of this group."))
        return _back_to(group)
    _apply(
        request,
        rules.leave,
        membership,
        success=_("You left “%(group)s”.") % {"group": group.title},
    )
    return _back_to(group)


# -- the coordinators' side -----------------------------------------------------------


@verified_member_required
def manage(request, pk: int):
    group = _managed_group(request, pk)
    rows = group.memberships.with_people().order_by("-role", "created_at")
    return render(
        request,
        "cobioe_community/manage.html",
        {
            "group": group,
            "pending": [m for m in rows if m.status == GroupMembership.Status.PENDING],
            "members": [m for m in rows if m.is_active],
            "invitations": rules.open_invitations(group),
            "invitation_form": GroupInvitationForm(),
            "decision_form": DecisionForm(),
        },
    )


def _decision(request, pk: int, membership_id: int, action, success: str, with_message=False):
    group = _managed_group(request, pk)
    membership = _membership_in(group, membership_id)
    args = [membership, request.user]
    if with_message:
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The message is too long (at most 1,000 characters)."))
            return redirect("community:manage", group.pk)
        args.append(form.cleaned_data["message"])
    name = membership.display_name()
    _apply(request, action, *args, success=success % {"name": name})
    return redirect("community:manage", group.pk)


@verified_member_required
@require_POST
def approve(request, pk: int, membership_id: int):
    return _decision(request, pk, membership_id, rules.approve, _("%(name)s is now a member."))


@verified_member_required
@require_POST
def decline(request, pk: int, membership_id: int):
    return _decision(
        request, pk, membership_id, rules.decline, _("The request of %(name)s was declined."), True
    )


@verified_member_required
@require_POST
def remove(request, pk: int, membership_id: int):
    return _decision(
        request, pk, membership_id, rules.remove, _("%(name)s was removed from the group."), True
    )


@verified_member_required
@require_POST
def promote(request, pk: int, membership_id: int):
    return _decision(request, pk, membership_id, rules.promote, _("%(name)s is now a coordinator."))


@verified_member_required
@require_POST
def invite(request, pk: int):
    group = _managed_group(request, pk)
    form = GroupInvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address."))
    else:
        email = form.cleaned_data["email"]
        _apply(
            request,
            rules.invite,
            group,
            email,
            request.user,
            success=_("Invitation sent to %(email)s.") % {"email": email},
        )
    return redirect("community:manage", group.pk)


@verified_member_required
@require_POST
def cancel_invitation(request, pk: int, invitation_id: int):
    group = _managed_group(request, pk)
    invitation = get_object_or_404(GroupInvitation, pk=invitation_id, group=group)
    _apply(request, rules.cancel_invitation, invitation, success=_("The invitation was cancelled."))
    return redirect("community:manage", group.pk)


@verified_member_required
def accept_invitation(request, token: str):
    """The invitation's link: after sign-in (or sign-up and verification of the invited
    address), a button to join."""
    invitation = GroupInvitation.objects.filter(token=token[:64]).select_related("group").first()
    if invitation is None or not invitation.is_open or not invitation.group.live:
        return render(request, "cobioe_community/invitation_invalid.html", status=404)
    verified = request.user.emailaddress_set.filter(
        email__iexact=invitation.email, verified=True
    ).exists()
    if request.method == "POST" and verified:
        group = invitation.group
        if _apply(
            request,
            rules.accept_invitation,
            invitation,
            request.user,
            success=_("Welcome to “%(group)s”.") % {"group": group.title},
        ):
            return _back_to(group)
    return render(
        request,
        "cobioe_community/invitation_accept.html",
        {"invitation": invitation, "verified": verified},
    )


@verified_member_required
def propose_group(request):
    """A member proposes a working group; the editors decide in the admin."""
    form = GroupProposalForm(request.POST or None)
    sent = (
        request.method == "POST"
        and form.is_valid()
        and _apply(
            request,
            proposals.propose,
            request.user,
            **form.cleaned_data,
            success=_("Thank you: the editors will review your proposal and tell you by e-mail."),
        )
    )
    if sent:
        return redirect("members:dashboard")
    return render(request, "cobioe_community/proposal_form.html", {"form": form})
