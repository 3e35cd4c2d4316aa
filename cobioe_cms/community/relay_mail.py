"""The contact relay's e-mails and the names it shows (:mod:`.relay` holds the rules).

Every e-mail goes to one recipient (never a list of them), in the recipient's language,
with names and subjects on one line (:func:`one_line`) so that nothing a member typed can
reach a header; a representative's address never reaches the sender (:func:`representative_name`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cobioe_cms.members.notifications import absolute

from .models import Conversation, RelayMessage
from .models.relay import MAX_SUBJECT
from .notifications import language_for, language_of

# -- names, one line ----------------------------------------------------------------------


def one_line(text: str, limit: int = MAX_SUBJECT) -> str:
    """``text`` on one line: control characters (CR, LF, tab…) become spaces and runs
    of spaces one, cut to ``limit`` characters."""
    printable = "".join(c if c.isprintable() else " " for c in text or "")
    return " ".join(printable.split())[:limit]


def _full_name(user) -> str:
    profile = getattr(user, "member_profile", None)
    return one_line(profile.full_name if profile else "", 150)


def sender_name(user) -> str:
    """How the organisation sees a sender: their full name, else their user name (the
    sender's own address is no secret to the organisation they write to)."""
    if user is None:
        return _("Former member")
    return _full_name(user) or one_line(user.get_username(), 150)


def representative_name(user) -> str:
    """How a sender sees a representative: their full name, never anything that could
    be their address (the user name allauth makes is the address's local part)."""
    name = _full_name(user) if user is not None else ""
    if not name or "@" in name:
        return _("A representative")
    return name


# -- e-mails ----------------------------------------------------------------------------------


def render_email(template: str, context: dict, language: str) -> tuple[str, str]:
    context = {"site_name": settings.WAGTAIL_SITE_NAME, **context}
    with translation.override(language_of(language)):
        subject = render_to_string(f"cobioe_community/emails/{template}_subject.txt", context)
        body = render_to_string(f"cobioe_community/emails/{template}.txt", context)
    return one_line(subject, 250), body


def send_email(template: str, context: dict, to: str, language: str, reply_to=None) -> int:
    if not to:
        return 0
    subject, body = render_email(template, context, language)
    return EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [to], reply_to=reply_to or None
    ).send()


def conversation_url(conversation: Conversation) -> str:
    return absolute(reverse("community:relay_conversation", args=[conversation.pk]))


def about(message: RelayMessage) -> dict:
    conversation = message.conversation
    on_behalf_of = conversation.sender_organisation
    opportunity = conversation.opportunity
    return {
        "message": message,
        "conversation": conversation,
        "subject": conversation.subject,
        "organisation": conversation.organisation,
        "sender_name": sender_name(conversation.sender),
        "sender_organisation": on_behalf_of,
        "sender_organisation_verified": bool(on_behalf_of and on_behalf_of.verified),
        "opportunity": opportunity,
        "opportunity_url": absolute(opportunity.url or "") if opportunity else "",
        "conversation_url": conversation_url(conversation),
    }


def relay_to_organisation(message: RelayMessage, recipients: list) -> int:
    """One e-mail per representative (never a list of them), Reply-To the sender."""
    context = {**about(message), "first": message.conversation.messages.count() == 1}
    reply_to = [message.conversation.sender.email]
    messages = []
    for recipient in recipients:
        subject, body = render_email("relay_message", context, language_for(recipient))
        messages.append(
            EmailMessage(
                subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email], reply_to=reply_to
            )
        )
    sent = get_connection().send_messages(messages) if messages else 0
    RelayMessage.objects.filter(pk=message.pk).update(relayed_to=sent or 0)
    return sent or 0


def relay_to_sender(message: RelayMessage) -> int:
    """A representative's answer, to the sender: no Reply-To (it would be the platform's
    address at best); the e-mail says to answer on the site."""
    conversation = message.conversation
    context = {**about(message), "author_name": representative_name(message.author)}
    sent = send_email("relay_answer", context, conversation.sender.email, conversation.language)
    RelayMessage.objects.filter(pk=message.pk).update(relayed_to=sent)
    return sent


def confirm_to_sender(message: RelayMessage) -> int:
    conversation = message.conversation
    return send_email(
        "relay_sent", about(message), conversation.sender.email, conversation.language
    )
