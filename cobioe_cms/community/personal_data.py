"""The community's part in a member's data export and account deletion: their group
memberships (with their reasons and the decisions), their proposals of groups, the
invitations they sent and those sent to their addresses, their threads and replies, what
they follow, their notifications and e-mail preferences, and what they did as a
moderator. Registered with :mod:`cobioe_cms.members.personal_data` in
``CommunityConfig.ready``.

Erasing deletes the member's memberships, follows, notifications, preferences, reports of
replies and the invitations to their addresses, and forgets them as the one who decided,
invited, muted, removed or caused a notification (the rows of other members stay). Their
threads and replies stay, so that the conversations keep their sense, signed "former
member": author, name, e-mail address and IP address blanked (the templates show an
empty name as "former member").

The contact relay: the conversations the member started are deleted with all their
messages (and the reports of them): the conversation is their correspondence with one
organisation, and its sender cannot be blanked. In the conversations of the
organisations they represent, their messages stay for the other representatives, their
text erased and their author forgotten (the pages show "message deleted"). Blocks of the
member as a sender are deleted; their reports stay for the editors without their reason
or their name, and they are forgotten as the one who blocked a sender or resolved a
report.

Opportunities the member posted belong to their organisation: they stay, and the member
is forgotten as the one who posted them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django_comments.models import Comment, CommentFlag

from .models import (
    Conversation,
    Follow,
    GroupInvitation,
    GroupMembership,
    GroupProposal,
    Notification,
    NotificationPreference,
    OpportunityPage,
    RelayMessage,
    RelayReport,
    Reply,
    SenderBlock,
    Thread,
)

COVERS = (
    "cobioe_community.GroupMembership.user",
    "cobioe_community.GroupMembership.decided_by",
    "cobioe_community.GroupInvitation.email",
    "cobioe_community.GroupInvitation.invited_by",
    "cobioe_community.GroupInvitation.accepted_by",
    "cobioe_community.GroupProposal.proposer",
    "cobioe_community.GroupProposal.reviewed_by",
    "cobioe_community.GroupMembership.muted_by",
    "cobioe_community.Thread.author",
    "cobioe_community.Thread.removed_by",
    "cobioe_community.Reply.removed_by",
    "cobioe_community.Follow.user",
    "cobioe_community.Notification.recipient",
    "cobioe_community.Notification.actor",
    "cobioe_community.NotificationPreference.user",
    "cobioe_community.OpportunityPage.posted_by",
    "cobioe_community.Conversation.sender",
    "cobioe_community.RelayMessage.author",
    "cobioe_community.SenderBlock.sender",
    "cobioe_community.SenderBlock.blocked_by",
    "cobioe_community.RelayReport.reporter",
    "cobioe_community.RelayReport.resolved_by",
    # Replies are django-comments comments (Reply extends XtdComment, which extends Comment).
    "django_comments.Comment.user",
    "django_comments.Comment.user_email",
    "django_comments.CommentFlag.user",
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


def _comments_of(user):
    """Every comment the member wrote: by account, or by one of their addresses."""
    query = Q(user=user)
    for address in _addresses(user):
        query |= Q(user_email__iexact=address)
    return Comment.objects.filter(query)


def _threads_by_key(replies) -> dict[str, Thread]:
    """The threads the replies answer, by ``object_pk`` (one query)."""
    thread_type = ContentType.objects.get_for_model(Thread)
    keys = {r.object_pk for r in replies if r.content_type_id == thread_type.pk}
    threads = Thread.objects.filter(pk__in=[int(k) for k in keys if k.isdigit()])
    return {str(t.pk): t for t in threads.select_related("group")}


def _thread_ref(thread: Thread | None) -> dict[str, Any]:
    if thread is None:
        return {"thread": None, "group": None}
    return {"thread": thread.title, "group": thread.group.title}


def _discussions(user) -> dict[str, Any]:
    replies = list(
        Reply.objects.filter(pk__in=_comments_of(user).values("pk")).order_by("submit_date")
    )
    removed = list(Reply.objects.filter(removed_by=user).order_by("removed_at"))
    flags = list(CommentFlag.objects.filter(user=user).select_related("comment"))
    threads = _threads_by_key([*replies, *removed, *(f.comment for f in flags)])
    return {
        "threads": [
            {
                "title": t.title,
                "body": t.body,
                "group": t.group.title,
                "status": t.status,
                "created_at": _date(t.created_at),
                "edited_at": _date(t.edited_at),
            }
            for t in Thread.objects.filter(author=user).select_related("group").order_by("pk")
        ],
        "replies": [
            {
                "text": r.comment,
                **_thread_ref(threads.get(r.object_pk)),
                "submitted_at": _date(r.submit_date),
                "edited_at": _date(r.edited_at),
                "deleted_at": _date(r.deleted_at),
                "held": not r.is_public,
            }
            for r in replies
        ],
        "replies_reported": [
            {
                "flag": f.flag,
                **_thread_ref(threads.get(f.comment.object_pk)),
                "date": _date(f.flag_date),
            }
            for f in flags
        ],
        # What the member did as a moderator (the others' text is not theirs to export).
        "threads_removed": [
            {"thread": t.title, "group": t.group.title}
            for t in Thread.objects.filter(removed_by=user).select_related("group")
        ],
        "replies_removed": [
            {**_thread_ref(threads.get(r.object_pk)), "removed_at": _date(r.removed_at)}
            for r in removed
        ],
        "members_muted": [
            {"group": m.group.title, "muted_at": _date(m.muted_at)}
            for m in GroupMembership.objects.filter(muted_by=user).select_related("group")
        ],
        "follows": [
            {
                "group": f.group.title if f.group else None,
                "thread": f.thread.title if f.thread else None,
                "since": _date(f.created_at),
            }
            for f in Follow.objects.filter(user=user).select_related("group", "thread")
        ],
        "notifications": [
            {
                "kind": n.kind,
                "verb": n.verb,
                "group": n.group.title if n.group else None,
                "thread": n.thread.title if n.thread else None,
                "created_at": _date(n.created_at),
                "read_at": _date(n.read_at),
                "emailed_at": _date(n.emailed_at),
            }
            for n in Notification.objects.filter(recipient=user).select_related("group", "thread")
        ],
        # Notifications that others received of the member's actions (not who received them).
        "notifications_caused": [
            {
                "kind": n.kind,
                "group": n.group.title if n.group else None,
                "created_at": _date(n.created_at),
            }
            for n in Notification.objects.filter(actor=user).select_related("group")
        ],
        "notification_preferences": [
            {"kind": p.kind, "delivery": p.delivery}
            for p in NotificationPreference.objects.filter(user=user).order_by("kind")
        ],
    }


def _relay(user) -> dict[str, Any]:
    """The member's side of the contact relay (not the other side's text)."""
    conversations = Conversation.objects.filter(sender=user).select_related(
        "organisation", "sender_organisation", "opportunity"
    )
    return {
        "conversations_started": [
            {
                "subject": c.subject,
                "organisation": c.organisation.title,
                "on_behalf_of": c.sender_organisation.title if c.sender_organisation else None,
                "opportunity": c.opportunity.title if c.opportunity else None,
                "created_at": _date(c.created_at),
            }
            for c in conversations.order_by("pk")
        ],
        "messages_sent": [
            {
                "conversation": m.conversation.subject,
                "organisation": m.conversation.organisation.title,
                "as_representative": m.from_organisation,
                "text": m.body,
                "sent_at": _date(m.created_at),
            }
            for m in RelayMessage.objects.filter(author=user)
            .select_related("conversation__organisation")
            .order_by("pk")
        ],
        "senders_blocked": [
            {"organisation": b.organisation.title, "blocked_at": _date(b.created_at)}
            for b in SenderBlock.objects.filter(blocked_by=user).select_related("organisation")
        ],
        "blocked_by_organisations": [
            {"organisation": b.organisation.title, "blocked_at": _date(b.created_at)}
            for b in SenderBlock.objects.filter(sender=user).select_related("organisation")
        ],
        "conversations_reported": [
            {
                "conversation": r.conversation.subject,
                "reason": r.reason,
                "reported_at": _date(r.created_at),
                "resolved_at": _date(r.resolved_at),
            }
            for r in RelayReport.objects.filter(reporter=user).select_related("conversation")
        ],
        # Reports the member resolved as an editor (not the reporter's reason).
        "reports_resolved": [
            {"conversation": r.conversation.subject, "resolved_at": _date(r.resolved_at)}
            for r in RelayReport.objects.filter(resolved_by=user).select_related("conversation")
        ],
    }


def _erase_relay(user) -> None:
    Conversation.objects.filter(sender=user).delete()  # their messages and reports go too
    RelayMessage.objects.filter(author=user).update(author=None, body="")
    SenderBlock.objects.filter(sender=user).delete()
    SenderBlock.objects.filter(blocked_by=user).update(blocked_by=None)
    RelayReport.objects.filter(reporter=user).update(reporter=None, reason="")
    RelayReport.objects.filter(resolved_by=user).update(resolved_by=None)


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
        **_discussions(user),
        "opportunities_posted": [
            {
                "title": o.title,
                "organisation": o.organisation.title if o.organisation else None,
                "expires_on": _date(o.expires_on),
            }
            for o in OpportunityPage.objects.filter(posted_by=user).select_related("organisation")
        ],
        "contact_relay": _relay(user),
    }


def erase_community_data(user) -> None:
    _erase_relay(user)
    OpportunityPage.objects.filter(posted_by=user).update(posted_by=None)
    # Threads and replies stay for the conversation, without anything of the member.
    Thread.objects.filter(author=user).update(author=None, author_name="")
    _comments_of(user).update(user=None, user_name="", user_email="", user_url="", ip_address=None)
    CommentFlag.objects.filter(user=user).delete()
    Thread.objects.filter(removed_by=user).update(removed_by=None)
    Reply.objects.filter(removed_by=user).update(removed_by=None)
    GroupMembership.objects.filter(muted_by=user).update(muted_by=None)
    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    Notification.objects.filter(actor=user).update(actor=None)
    NotificationPreference.objects.filter(user=user).delete()
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
