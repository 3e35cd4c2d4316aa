"""The community's part in a member's data export and account deletion: their group
memberships (with their reasons and the decisions), their proposals of groups, the
invitations they sent and those sent to their addresses. Registered with
:mod:`cobioe_cms.members.personal_data` in ``CommunityConfig.ready``.

Erasing deletes the member's memberships and the invitations to their addresses, and
forgets them as the one who decided or invited (the rows of other members stay).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import GroupInvitation, GroupMembership, GroupProposal

COVERS = (
    "cobioe_community.GroupMembership.user",
    "cobioe_community.GroupMembership.decided_by",
    "cobioe_community.GroupInvitation.email",
    "cobioe_community.GroupInvitation.invited_by",
    "cobioe_community.GroupInvitation.accepted_by",
    "cobioe_community.GroupProposal.proposer",
    "cobioe_community.GroupProposal.reviewed_by",
)


def _date(value):
    return value.isoformat() if value else None


def _addresses(user) -> set[str]:
    addresses = {user.email.lower()} if user.email else set()
    addresses |= {e.lower() for e in user.emailaddress_set.values_list("email", flat=True)}
    return addresses


def _invitations_to(user):
    query = Q(accepted_by=user)
    for address in _addresses(user):
        query |= Q(email__iexact=address)
    return GroupInvitation.objects.filter(query)


def export_community_data(user) -> dict[str, Any]:
    return {
        "working_groups": [
            {
                "group": m.group.title,
                "role": m.role,
                "status": m.status,
                "reason": m.reason,
                "decision_message": m.decision_message,
                "decided_at": _date(m.decided_at),
                "created_at": _date(m.created_at),
            }
            for m in GroupMembership.objects.filter(user=user).select_related("group")
        ],
        "group_proposals": [
            {
                "title": p.title,
                "summary": p.summary,
                "mission": p.mission,
                "status": p.status,
                "created_at": _date(p.created_at),
            }
            for p in GroupProposal.objects.filter(proposer=user)
        ],
        # Decisions the member took as a coordinator or an editor (no other member's data).
        "membership_decisions": [
            {"group": m.group.title, "decided_at": _date(m.decided_at)}
            for m in GroupMembership.objects.filter(decided_by=user).select_related("group")
        ],
        "proposals_reviewed": [
            {"title": p.title, "status": p.status, "reviewed_at": _date(p.reviewed_at)}
            for p in GroupProposal.objects.filter(reviewed_by=user)
        ],
        "invitations_sent": [
            {"group": i.group.title, "email": i.email, "created_at": _date(i.created_at)}
            for i in GroupInvitation.objects.filter(invited_by=user).select_related("group")
        ],
        "invitations_received": [
            {"group": i.group.title, "email": i.email, "created_at": _date(i.created_at)}
            for i in _invitations_to(user).select_related("group")
        ],
    }


def erase_community_data(user) -> None:
    GroupMembership.objects.filter(user=user).delete()
    GroupMembership.objects.filter(decided_by=user).update(decided_by=None)
    _invitations_to(user).delete()
    GroupInvitation.objects.filter(invited_by=user).update(invited_by=None)
    GroupProposal.objects.filter(proposer=user).delete()
    GroupProposal.objects.filter(reviewed_by=user).update(reviewed_by=None)


def register() -> None:
    from cobioe_cms.members import personal_data

    personal_data.register(
        "community", export=export_community_data, erase=erase_community_data, covers=COVERS
    )
