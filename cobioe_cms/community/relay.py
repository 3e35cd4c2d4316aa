"""The contact relay's rules, and its e-mails.

A verified member writes to an organisation ("Contact this organisation" on a profile,
"Express interest" on a current opportunity); the platform keeps the conversation
(:class:`~.models.Conversation`, :class:`~.models.RelayMessage`) and e-mails each
representative of the organisation on their own: one message per recipient, From the
platform's address, Reply-To the sender (the recipient decides whether to answer from
their own address; the e-mail says that the site keeps it private). Nothing ever shows a
representative's address to the sender: their answers are written on the site and
relayed to the sender by an e-mail whose Reply-To is not set ("answer on the site"), and
representatives are named by their full name only (a name holding an address is
replaced by "a representative").

Rules:

- only members whose own address is verified send, never to an organisation they
  represent, never on behalf of one they do not represent;
- limits that hold across workers (:func:`cobioe_cms.core.ratelimit.allow`):
  ``COBIOE_COMMUNITY_RELAY_CONVERSATIONS_PER_DAY`` per sender,
  ``COBIOE_COMMUNITY_RELAY_PER_ORGANISATION_PER_DAY`` per sender and organisation,
  ``COBIOE_COMMUNITY_RELAY_MESSAGES_PER_HOUR`` messages per member;
- a sender an organisation blocked (:class:`~.models.SenderBlock`) is refused with a
  neutral message, and nothing is sent;
- an organisation without a representative receives nothing (its public or imported
  contact address is never written to): the sender is told, and the editors are asked,
  at most once a day per organisation, to bring it on board;
- representatives report a conversation to the editors (:class:`~.models.RelayReport`),
  who resolve it in the admin (:mod:`.admin_relay`).

Views call these functions and show their :class:`Refused` messages; nothing here reads
a request. Names and subjects are made one line (:func:`one_line`) before they reach a
header: a carriage return or a line feed in them never adds a header.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.conf import conf
from cobioe_cms.core.ratelimit import allow
from cobioe_cms.members.models import Representative
from cobioe_cms.members.notifications import absolute, editor_emails
from cobioe_cms.members.organisations import has_verified_address

from .memberships import Refused
from .models import Conversation, OpportunityPage, RelayMessage, RelayReport, SenderBlock
from .models.relay import MAX_BODY
from .relay_mail import (
    confirm_to_sender,
    one_line,
    relay_to_organisation,
    relay_to_sender,
    representative_name,
    send_email,
    sender_name,
)
from .text import link_count

HOUR = 3600
DAY = 24 * HOUR
REPORTS_PER_DAY = 10  # per member: each one e-mails the editors
MAX_REASON = 2000

__all__ = [
    "Refused",
    "block_sender",
    "can_read",
    "contact_refusal",
    "conversations_of",
    "is_blocked",
    "one_line",
    "post_message",
    "report",
    "representative_name",
    "representatives_of",
    "resolve_report",
    "sender_name",
    "sender_organisations",
    "start_conversation",
    "tell_editors_unrepresented",
    "unblock_sender",
]


def _neutral_refusal() -> Refused:
    # The same words whatever the reason (a block): the sender learns nothing more.
    return Refused(_("Your message cannot be sent to this organisation."))


# -- who ---------------------------------------------------------------------------------


def contactable_organisations():
    """Organisations one may write to: published, public, not merged into another."""
    return ActorPage.objects.live().public().filter(merged_into__isnull=True)


def representatives_of(organisation_id: int) -> list:
    """The active accounts representing the organisation that have an address."""
    return list(
        get_user_model()
        .objects.filter(representations__actor_id=organisation_id, is_active=True)
        .exclude(email="")
        .select_related("member_profile")
        .order_by("pk")
        .distinct()
    )


def _represents(user, organisation_id: int | None) -> bool:
    return (
        organisation_id is not None
        and user.is_authenticated
        and Representative.objects.filter(user=user, actor_id=organisation_id).exists()
    )


def sender_organisations(user):
    """The live organisations ``user`` may write on behalf of (those they represent)."""
    if not user.is_authenticated:
        return ActorPage.objects.none()
    return ActorPage.objects.live().filter(representatives__user=user).order_by("title")


def represented_ids(user) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(Representative.objects.filter(user=user).values_list("actor_id", flat=True))


def can_read(user, conversation: Conversation, represented: list[int] | None = None) -> bool:
    """Only the two sides read a conversation: its sender and the representatives of
    the organisation contacted (editors read reported ones in the admin)."""
    if not user.is_authenticated:
        return False
    if conversation.sender_id == user.pk:
        return True
    if represented is None:
        represented = represented_ids(user)
    return conversation.organisation_id in represented


def speaks_for_organisation(user, conversation: Conversation, represented=None) -> bool:
    """Whether ``user`` writes in ``conversation`` as the organisation contacted."""
    if conversation.sender_id == user.pk:
        return False
    if represented is None:
        represented = represented_ids(user)
    return conversation.organisation_id in represented


def conversations_of(user):
    """The conversations ``user`` started and those with organisations they represent,
    the most recent activity first."""

    return Conversation.objects.filter(
        Q(sender=user)
        | Q(organisation__in=Representative.objects.filter(user=user).values("actor"))
    ).order_by("-last_message_at", "-pk")


def is_blocked(sender_id: int, organisation_id: int) -> bool:
    return SenderBlock.objects.filter(sender_id=sender_id, organisation_id=organisation_id).exists()


def contact_refusal(user, organisation: ActorPage) -> str:
    """Why ``user`` may not write to ``organisation`` ('' if they may). Says nothing of
    a block: that is only refused, neutrally, when they send."""
    if not user.is_authenticated:
        return _("Sign in to contact this organisation.")
    if not has_verified_address(user):
        return _("Verify your e-mail address before you contact an organisation.")
    if _represents(user, organisation.pk):
        return _("You represent this organisation: messages to it reach you.")
    return ""


# -- sending --------------------------------------------------------------------------------


def _check_text(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise Refused(_("Write a message."))
    if len(body) > MAX_BODY:
        raise Refused(_("A message may hold at most %(count)d characters.") % {"count": MAX_BODY})
    if link_count(body) > conf.COMMUNITY_MAX_LINKS:
        raise Refused(
            _("A message may hold at most %(count)d links; remove some and send it again.")
            % {"count": conf.COMMUNITY_MAX_LINKS}
        )
    return body


def _check_message_rate(user) -> None:
    if not allow(f"relay-message:{user.pk}", conf.COMMUNITY_RELAY_MESSAGES_PER_HOUR, HOUR):
        raise Refused(_("You have sent many messages in the last hour; wait a little."))


def _check_conversation_rates(sender, organisation_id: int) -> None:
    if not allow(
        f"relay-conversation:{sender.pk}", conf.COMMUNITY_RELAY_CONVERSATIONS_PER_DAY, DAY
    ):
        raise Refused(_("You have contacted many organisations today; try again tomorrow."))
    if not allow(
        f"relay-organisation:{sender.pk}:{organisation_id}",
        conf.COMMUNITY_RELAY_PER_ORGANISATION_PER_DAY,
        DAY,
    ):
        raise Refused(
            _(
                "You have written to this organisation several times today; wait for an "
                "answer in your messages, or try again tomorrow."
            )
        )


def tell_editors_unrepresented(organisation: ActorPage) -> int:
    """Ask the editors to bring ``organisation`` on board (somebody wanted to contact
    it and nobody represents it): once a day per organisation at most."""
    if not allow(f"relay-unrepresented:{organisation.pk}", 1, DAY):
        return 0
    context = {
        "organisation": organisation,
        "profile_url": absolute(organisation.url or ""),
        "invite_url": absolute(reverse("members_admin:unrepresented")),
    }
    return sum(
        send_email("relay_unrepresented", context, email, settings.LANGUAGE_CODE)
        for email in editor_emails()
    )


def start_conversation(
    sender,
    organisation: ActorPage,
    subject: str,
    body: str,
    on_behalf_of: ActorPage | None = None,
    opportunity: OpportunityPage | None = None,
) -> Conversation:
    """Start a conversation with ``organisation`` and relay its first message to each of
    its representatives; the sender gets a copy. Raises :class:`Refused`."""
    refusal = contact_refusal(sender, organisation)
    if refusal:
        raise Refused(refusal)
    if not contactable_organisations().filter(pk=organisation.pk).exists():
        raise Refused(_("This organisation cannot be contacted on the platform."))
    if on_behalf_of is not None and not _represents(sender, on_behalf_of.pk):
        raise Refused(_("You can only write on behalf of an organisation you represent."))
    if opportunity is not None and (
        opportunity.organisation_id != organisation.pk or not opportunity.is_current()
    ):
        raise Refused(_("This opportunity is no longer open."))
    subject = one_line(subject)
    if not subject:
        raise Refused(_("Give your message a subject."))
    body = _check_text(body)
    recipients = representatives_of(organisation.pk)
    if not recipients:
        tell_editors_unrepresented(organisation)
        raise Refused(_("This organisation has no representative on the platform yet."))
    if is_blocked(sender.pk, organisation.pk):
        raise _neutral_refusal()
    _check_conversation_rates(sender, organisation.pk)
    _check_message_rate(sender)
    with transaction.atomic():
        conversation = Conversation.objects.create(
            sender=sender,
            sender_organisation=on_behalf_of,
            organisation=organisation,
            opportunity=opportunity,
            subject=subject,
            last_message_at=timezone.now(),
            language=translation.get_language() or "",
        )
        message = RelayMessage.objects.create(
            conversation=conversation, author=sender, from_organisation=False, body=body
        )
    relay_to_organisation(message, recipients)
    confirm_to_sender(message)
    return conversation


def post_message(user, conversation: Conversation, body: str) -> RelayMessage:
    """A new message in ``conversation`` by one of its sides, relayed to the other side:
    the sender's to each representative; a representative's to the sender (whose
    e-mail says to answer on the site). Raises :class:`Refused`."""
    represented = represented_ids(user)
    if not can_read(user, conversation, represented):
        raise Refused(_("This conversation is not yours."))
    if not has_verified_address(user):
        raise Refused(_("Verify your e-mail address before you send a message."))
    from_organisation = speaks_for_organisation(user, conversation, represented)
    body = _check_text(body)
    recipients = []
    if not from_organisation:
        if is_blocked(user.pk, conversation.organisation_id):
            raise _neutral_refusal()
        recipients = representatives_of(conversation.organisation_id)
        if not recipients:
            raise Refused(_("This organisation has no representative on the platform any more."))
    elif not conversation.sender.is_active:
        raise Refused(_("The sender's account is closed: they cannot read an answer."))
    _check_message_rate(user)
    with transaction.atomic():
        message = RelayMessage.objects.create(
            conversation=conversation, author=user, from_organisation=from_organisation, body=body
        )
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=message.created_at)
    if from_organisation:
        relay_to_sender(message)
    else:
        relay_to_organisation(message, recipients)
    return message


# -- recipients' tools ------------------------------------------------------------------------


def _check_representative(user, conversation: Conversation) -> None:
    if not speaks_for_organisation(user, conversation):
        raise Refused(_("Only the representatives of the organisation contacted can do that."))


def block_sender(user, conversation: Conversation) -> SenderBlock:
    """The organisation receives nothing more from the conversation's sender."""
    _check_representative(user, conversation)
    block, _created = SenderBlock.objects.get_or_create(
        organisation_id=conversation.organisation_id,
        sender_id=conversation.sender_id,
        defaults={"blocked_by": user},
    )
    return block


def unblock_sender(user, conversation: Conversation) -> int:
    _check_representative(user, conversation)
    deleted, _by_model = SenderBlock.objects.filter(
        organisation_id=conversation.organisation_id, sender_id=conversation.sender_id
    ).delete()
    return deleted


def report(user, conversation: Conversation, reason: str) -> RelayReport:
    """A representative reports the conversation; the editors are told by e-mail."""
    _check_representative(user, conversation)
    if RelayReport.objects.filter(
        conversation=conversation, reporter=user, resolved_at__isnull=True
    ).exists():
        raise Refused(_("You already reported this conversation; the editors will look at it."))
    if not allow(f"relay-report:{user.pk}", REPORTS_PER_DAY, DAY):
        raise Refused(_("You have sent many reports today; the editors will look at them."))
    entry = RelayReport.objects.create(
        conversation=conversation, reporter=user, reason=(reason or "").strip()[:MAX_REASON]
    )
    context = {
        "report": entry,
        "conversation": conversation,
        "organisation": conversation.organisation,
        "reporter_name": sender_name(user),
        "sender_name": sender_name(conversation.sender),
        "review_url": absolute(reverse("community_relay_admin:report", args=[entry.pk])),
    }
    for email in editor_emails():
        send_email("relay_report", context, email, settings.LANGUAGE_CODE)
    return entry


def resolve_report(entry: RelayReport, editor) -> bool:
    """Mark a report handled; False if it already was."""
    return bool(
        RelayReport.objects.filter(pk=entry.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=editor
        )
    )
