"""The rules of group membership: who may do what, and each decision with its e-mail.

Views call these functions and show their :class:`Refused` messages; nothing here reads
a request. Every change of status is one row update (:class:`GroupMembership` keeps one
row per group and member) followed by the e-mail to the person concerned; a
coordinator's decision (and an accepted invitation) is also a notification on the
member's notifications page, its e-mail sent as they chose
(:func:`.notifications.membership_decision`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cobioe_cms.core.ratelimit import allow

from . import notifications
from .models import GroupInvitation, GroupMembership, WorkingGroupPage

DAY = 24 * 3600
REQUESTS_PER_DAY = 20  # joins and requests per member (each mails the coordinators)
INVITATIONS_PER_DAY = 30  # per coordinator
INVITATIONS_PER_ADDRESS_PER_DAY = 3

Status = GroupMembership.Status
Role = GroupMembership.Role
Policy = WorkingGroupPage.Policy


class Refused(Exception):
    """The action is not allowed now; the message says why, for the member."""


def membership_of(user, group: WorkingGroupPage) -> GroupMembership | None:
    if not user.is_authenticated:
        return None
    return GroupMembership.objects.filter(group=group, user=user).first()


def is_editor(user, group: WorkingGroupPage) -> bool:
    """Editors (whoever may edit the group's page in the Wagtail admin) manage every group."""
    return user.is_authenticated and group.permissions_for_user(user).can_edit()


def can_manage(user, group: WorkingGroupPage, membership: GroupMembership | None = None) -> bool:
    """A coordinator of THIS group, or an editor."""
    if not user.is_authenticated:
        return False
    if membership is None:
        membership = membership_of(user, group)
    if membership is not None and membership.is_coordinator:
        return True
    return is_editor(user, group)


def _language() -> str:
    return translation.get_language() or ""


# -- the member's side ----------------------------------------------------------------


def _check_rate(user) -> None:
    if not allow(f"group-join:{user.pk}", REQUESTS_PER_DAY, DAY):
        raise Refused(_("You have asked to join many groups today; try tomorrow."))


def _joinable_row(user, group: WorkingGroupPage) -> GroupMembership:
    """The member's row (new or a past one), refused if they are in or waiting."""
    membership = membership_of(user, group) or GroupMembership(group=group, user=user)
    if membership.status == Status.ACTIVE and membership.pk:
        raise Refused(_("You are already a member of this group."))
    if membership.status == Status.PENDING and membership.pk:
        raise Refused(_("Your request is already waiting for the coordinators."))
    if membership.status == Status.REMOVED:
        raise Refused(_("The coordinators removed you from this group; ask them to invite you."))
    return membership


@transaction.atomic
def join(user, group: WorkingGroupPage) -> GroupMembership:
    """Joining an open group: a member at once."""
    if group.membership_policy != Policy.OPEN:
        raise Refused(_("This group is not open: ask to join it, or wait for an invitation."))
    membership = _joinable_row(user, group)
    _check_rate(user)
    _set(membership, status=Status.ACTIVE, role=Role.MEMBER, reason="", decision_message="")
    membership.decided_by, membership.decided_at = None, None
    membership.language = _language()
    membership.save()
    notifications.member_joined(membership)
    return membership


@transaction.atomic
def request_to_join(user, group: WorkingGroupPage, reason: str) -> GroupMembership:
    """A request to a group on approval, with the applicant's reason."""
    if group.membership_policy != Policy.APPROVAL:
        raise Refused(_("This group does not take requests."))
    membership = _joinable_row(user, group)
    _check_rate(user)
    _set(membership, status=Status.PENDING, role=Role.MEMBER, reason=reason, decision_message="")
    membership.decided_by, membership.decided_at = None, None
    membership.language = _language()
    membership.save()
    notifications.request_received(membership)
    return membership


@transaction.atomic
def leave(membership: GroupMembership) -> None:
    """Leaving (or withdrawing a request). The last coordinator stays until they promote
    someone: a group is never left without one."""
    if membership.status == Status.PENDING:
        membership.status = Status.LEFT
        membership.save(update_fields=["status", "updated_at"])
        return
    if not membership.is_active:
        raise Refused(_("You are not a member of this group."))
    if membership.is_coordinator and _is_last_coordinator(membership):
        raise Refused(
            _("You are the group's only coordinator: make another member coordinator first.")
        )
    membership.status, membership.role = Status.LEFT, Role.MEMBER
    membership.save(update_fields=["status", "role", "updated_at"])


def _is_last_coordinator(membership: GroupMembership) -> bool:
    others = GroupMembership.objects.coordinators().filter(group_id=membership.group_id)
    return not others.exclude(pk=membership.pk).exists()


# -- the coordinators' side -----------------------------------------------------------


def _decide(membership: GroupMembership, manager, **fields) -> None:
    _set(membership, **fields)
    membership.decided_by = manager
    membership.decided_at = timezone.now()
    membership.save()


def _set(membership: GroupMembership, **fields) -> None:
    for name, value in fields.items():
        setattr(membership, name, value)


@transaction.atomic
def approve(membership: GroupMembership, manager) -> None:
    if membership.status != Status.PENDING:
        raise Refused(_("This request was already decided."))
    _decide(membership, manager, status=Status.ACTIVE, decision_message="")
    notifications.membership_decision(membership, "approved", notifications.request_approved)


@transaction.atomic
def decline(membership: GroupMembership, manager, message: str = "") -> None:
    if membership.status != Status.PENDING:
        raise Refused(_("This request was already decided."))
    _decide(membership, manager, status=Status.DECLINED, decision_message=message)
    notifications.membership_decision(membership, "declined", notifications.request_declined)


@transaction.atomic
def remove(membership: GroupMembership, manager, message: str = "") -> None:
    if not membership.is_active:
        raise Refused(_("This person is not a member of the group."))
    if membership.user_id == manager.pk:
        raise Refused(_("To leave the group yourself, use “Leave this group”."))
    if membership.is_coordinator and _is_last_coordinator(membership):
        raise Refused(_("The group's only coordinator cannot be removed."))
    _decide(membership, manager, status=Status.REMOVED, role=Role.MEMBER, decision_message=message)
    notifications.membership_decision(membership, "removed", notifications.member_removed)


@transaction.atomic
def promote(membership: GroupMembership, manager) -> None:
    if not membership.is_active:
        raise Refused(_("Only members can become coordinators."))
    if membership.role == Role.COORDINATOR:
        raise Refused(_("This member is already a coordinator."))
    _decide(membership, manager, role=Role.COORDINATOR)
    notifications.membership_decision(membership, "promoted", notifications.promoted)


def make_coordinator(group: WorkingGroupPage, user) -> GroupMembership:
    """An editor's choice (or a group's creation): ``user`` coordinates ``group``."""
    membership, _created = GroupMembership.objects.update_or_create(
        group=group,
        user=user,
        defaults={"status": Status.ACTIVE, "role": Role.COORDINATOR},
    )
    return membership


# -- invitations ----------------------------------------------------------------------


def invitation_refusal(group: WorkingGroupPage, email: str, inviter) -> str:
    """Why an invitation cannot be sent now ("" if it can)."""
    if GroupMembership.objects.active().filter(group=group, user__email__iexact=email).exists():
        return _("This person is already a member of the group.")
    waiting = group.invitations.filter(
        email__iexact=email, accepted_at__isnull=True, cancelled_at__isnull=True
    )
    if any(invitation.is_open for invitation in waiting):
        return _("An invitation to this address is already waiting for an answer.")
    if not allow(f"group-invite:{inviter.pk}", INVITATIONS_PER_DAY, DAY):
        return _("You have sent many invitations today; try tomorrow.")
    if not allow(f"group-invite-to:{email.lower()}", INVITATIONS_PER_ADDRESS_PER_DAY, DAY):
        return _("This address has received several invitations today; try tomorrow.")
    return ""


def invite(group: WorkingGroupPage, email: str, inviter) -> GroupInvitation:
    refusal = invitation_refusal(group, email, inviter)
    if refusal:
        raise Refused(refusal)
    invitation = GroupInvitation.objects.create(
        group=group, email=email, invited_by=inviter, language=_language()
    )
    notifications.invitation_sent(invitation)
    return invitation


def cancel_invitation(invitation: GroupInvitation) -> None:
    if not invitation.is_open:
        raise Refused(_("This invitation is no longer open."))
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])


@transaction.atomic
def accept_invitation(invitation: GroupInvitation, user) -> GroupMembership:
    """The invitee (whose verified address the invitation was sent to) becomes an active
    member, whatever their past in the group (a coordinator's invitation overrides an
    earlier removal or decline); a coordinator stays one."""
    if not invitation.is_open:
        raise Refused(_("This invitation is no longer valid."))
    membership = membership_of(user, invitation.group) or GroupMembership(
        group=invitation.group, user=user
    )
    if not membership.is_active:
        membership.status, membership.role = Status.ACTIVE, Role.MEMBER
        membership.decided_by = invitation.invited_by
        membership.decided_at = timezone.now()
    membership.language = _language()
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    # On the notifications page; no e-mail: the member is on the site, accepting.
    notifications.membership_decision(membership, "joined")
    return membership


def open_invitations(group: WorkingGroupPage) -> list[GroupInvitation]:
    pending = group.invitations.filter(accepted_at__isnull=True, cancelled_at__isnull=True)
    return [invitation for invitation in pending.select_related("invited_by") if invitation.is_open]
