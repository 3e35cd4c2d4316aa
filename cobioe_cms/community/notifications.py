"""The community's e-mails, each in its recipient's language, and the words of its
notifications.

A member's language is the one they used when they last acted on the group (recorded on
their :class:`~.models.GroupMembership`; for a group they are not in, the one they used
last anywhere); an invitation is written in the language its coordinator used. Templates
are ``cobioe_community/emails/<name>.txt`` and ``<name>_subject.txt``; links use the
site's base URL, as the members' e-mails do, with the recipient's language prefix.

Membership decisions are also notifications (:func:`membership_decision`): listed on the
member's notifications page, and e-mailed as they chose for that kind. Replies, mentions
and new threads are notified by :mod:`.activity` and e-mailed by
:func:`send_notification`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from cobioe_cms.members.notifications import absolute

from .models import (
    DEFAULT_DELIVERY,
    GroupMembership,
    Notification,
    NotificationPreference,
    Thread,
)

Kind = Notification.Kind
IMMEDIATELY = NotificationPreference.Delivery.IMMEDIATELY
DIGEST = NotificationPreference.Delivery.DIGEST


def language_of(code: str) -> str:
    """``code`` if the site offers it, else the site's default language."""
    available = {language for language, _name in settings.LANGUAGES}
    return code if code in available else settings.LANGUAGE_CODE


def _send(template: str, context: dict, to: str, language: str) -> int:
    if not to:
        return 0
    context = {"site_name": settings.WAGTAIL_SITE_NAME, **context}
    with translation.override(language_of(language)):
        subject = render_to_string(f"cobioe_community/emails/{template}_subject.txt", context)
        body = render_to_string(f"cobioe_community/emails/{template}.txt", context)
    return EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to]).send()


def _group_url(group) -> str:
    return absolute(group.url or "")


def _to_member(template: str, membership, **extra) -> int:
    group = membership.group
    context = {"membership": membership, "group": group, "group_url": _group_url(group), **extra}
    return _send(template, context, membership.user.email, membership.language)


def request_received(membership) -> int:
    """Each coordinator of the group hears of a request, in their own language."""
    manage_url = absolute(reverse("community:manage", args=[membership.group_id]))
    sent = 0
    coordinators = membership.group.memberships.coordinators().select_related("user")
    for coordinator in coordinators:
        sent += _send(
            "request_received",
            {"membership": membership, "group": membership.group, "manage_url": manage_url},
            coordinator.user.email,
            coordinator.language,
        )
    return sent


def member_joined(membership) -> int:
    return _to_member("joined", membership)


def request_approved(membership) -> int:
    return _to_member("request_approved", membership)


def request_declined(membership) -> int:
    return _to_member("request_declined", membership)


def member_removed(membership) -> int:
    return _to_member("removed", membership)


def promoted(membership) -> int:
    manage_url = absolute(reverse("community:manage", args=[membership.group_id]))
    return _to_member("promoted", membership, manage_url=manage_url)


def invitation_sent(invitation) -> int:
    accept_url = absolute(reverse("community:accept_invitation", args=[invitation.token]))
    context = {
        "invitation": invitation,
        "group": invitation.group,
        "group_url": _group_url(invitation.group),
        "accept_url": accept_url,
    }
    return _send("invitation", context, invitation.email, invitation.language)


def proposal_received(proposal) -> int:
    """The editors (in the site's language) hear of a proposal."""
    from cobioe_cms.members.notifications import editor_emails

    review_url = absolute(reverse("community_admin:proposals"))
    sent = 0
    for email in editor_emails():
        sent += _send(
            "proposal_received",
            {"proposal": proposal, "review_url": review_url},
            email,
            settings.LANGUAGE_CODE,
        )
    return sent


def proposal_decided(proposal) -> int:
    context = {"proposal": proposal, "group": proposal.group}
    if proposal.group is not None:
        context["group_url"] = _group_url(proposal.group)
        context["manage_url"] = absolute(reverse("community:manage", args=[proposal.group.pk]))
    return _send("proposal_decided", context, proposal.proposer.email, proposal.language)


# -- notifications ----------------------------------------------------------------------


def delivery_for(user, kind: str) -> str:
    """How ``user`` wants to hear of ``kind`` by e-mail (their choice, else the default)."""
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or DEFAULT_DELIVERY[kind]


def deliveries_for(user) -> dict[str, str]:
    """Every kind's delivery for ``user`` (one query)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY[kind]) for kind in Kind.values}


def language_for(user, group=None) -> str:
    """The language ``user`` used on ``group``, else the one they used last."""
    rows = GroupMembership.objects.filter(user=user).exclude(language="")
    if group is not None:
        language = rows.filter(group=group).values_list("language", flat=True).first()
        if language:
            return language_of(language)
    language = rows.order_by("-updated_at").values_list("language", flat=True).first()
    return language_of(language or settings.LANGUAGE_CODE)


def _actor_name(notification: Notification) -> str:
    if notification.reply_id and notification.reply is not None:
        return notification.reply.user_name
    if notification.thread_id and notification.thread is not None:
        return notification.thread.author_name
    if notification.actor is not None:
        return notification.actor.get_username()
    return _("Someone")


MEMBERSHIP_WORDS = {
    "approved": lambda group: _("Your request to join “%(group)s” was approved.") % group,
    "declined": lambda group: _("Your request to join “%(group)s” was declined.") % group,
    "removed": lambda group: _("The coordinators removed you from “%(group)s”.") % group,
    "promoted": lambda group: _("You are now a coordinator of “%(group)s”.") % group,
    "joined": lambda group: _("You joined “%(group)s”.") % group,
}


def describe(notification: Notification) -> str:
    """What happened, in a sentence of the current language."""
    values = {
        "actor": _actor_name(notification),
        "group": notification.group.title if notification.group_id else "",
        "thread": notification.thread.title if notification.thread_id else "",
    }
    if notification.kind == Kind.MEMBERSHIP:
        words = MEMBERSHIP_WORDS.get(notification.verb)
        return words(values) if words else _("News about your membership of “%(group)s”.") % values
    if notification.kind == Kind.MENTION:
        return _("%(actor)s mentioned your organisation in “%(thread)s” (%(group)s).") % values
    if notification.kind == Kind.NEW_THREAD:
        return _("%(actor)s started “%(thread)s” in “%(group)s”.") % values
    return _("%(actor)s replied in “%(thread)s” (%(group)s).") % values


def target_path(notification: Notification) -> str:
    """Where the notification leads (in the current language's URLs)."""
    if notification.reply_id:
        return reverse("community:reply", args=[notification.reply_id])
    if notification.thread_id:
        # The thread's group now: a moderator may have moved it since.
        return reverse(
            "community:thread", args=[notification.thread.group_id, notification.thread_id]
        )
    if notification.group_id and notification.group.url:
        return translate_url(notification.group.url, translation.get_language())
    return reverse("community:notifications")


def still_readable(notification: Notification) -> bool:
    """Whether its recipient may still read what the notification is about: the group's
    discussions (a members-only group: while they are an active member), and the thread
    and reply still visible."""
    from .discussions import can_read

    if not notification.thread_id:
        return True
    thread = notification.thread  # its group now (a moved thread follows its new group)
    if thread.status != Thread.Status.PUBLISHED or not can_read(
        notification.recipient, thread.group
    ):
        return False
    reply = notification.reply
    return reply is None or (reply.is_public and not reply.is_gone)


def send_notification(notification: Notification) -> int:
    """E-mail a reply, mention or new-thread notification at once, in its recipient's
    language, if they may still read it; marks it e-mailed. Sent once at most."""
    notification = (
        Notification.objects.select_related("recipient", "group", "thread", "reply", "actor")
        .filter(pk=notification.pk, emailed_at=None)
        .first()
    )
    if notification is None:
        return 0
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email or not still_readable(notification):
        return 0
    language = language_for(recipient, notification.group)
    with translation.override(language):
        text = notification.reply.comment if notification.reply_id else ""
        if not text and notification.thread_id:
            text = notification.thread.body
        context = {
            "notification": notification,
            "summary": describe(notification),
            "group": notification.group,
            "thread": notification.thread,
            "excerpt": Truncator(" ".join(text.split())).chars(400),
            "url": absolute(target_path(notification)),
            "preferences_url": absolute(reverse("community:notification_preferences")),
        }
    sent = _send(f"notification_{notification.kind}", context, recipient.email, language)
    if sent:
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return sent


def membership_decision(membership, verb: str, send=None) -> Notification:
    """A decision on ``membership`` for its member's notifications page; ``send`` (one of
    the e-mails above) goes at once if they want membership news at once, else the
    decision waits for their digest or stays on the page."""
    notification = Notification.objects.create(
        recipient=membership.user,
        kind=Kind.MEMBERSHIP,
        verb=verb,
        actor=membership.decided_by,
        group=membership.group,
    )
    if send is not None and delivery_for(membership.user, Kind.MEMBERSHIP) == IMMEDIATELY:
        send(membership)
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return notification
