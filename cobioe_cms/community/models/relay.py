"""The contact relay: messages a member sends to an organisation ("Contact this
organisation", "Express interest" in an opportunity), which the platform relays by e-mail
to the organisation's representatives without showing anyone's address.

Records, not pages: a :class:`Conversation` between one sender and one organisation
(about one opportunity or none), its :class:`RelayMessage` rows (both sides write), the
recipients' :class:`SenderBlock` and :class:`RelayReport` (which editors handle).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_SUBJECT = 150
MAX_BODY = 5000


class Conversation(models.Model):
    """What one member started with one organisation. ``sender_organisation`` is the
    organisation the sender wrote on behalf of (one they represent), if any."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        on_delete=models.CASCADE,
        related_name="relay_conversations",
    )
    sender_organisation = models.ForeignKey(
        "cobioe_actors.ActorPage",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "cobioe_actors.ActorPage",
        verbose_name=_("organisation contacted"),
        on_delete=models.CASCADE,
        related_name="relay_conversations",
    )
    opportunity = models.ForeignKey(
        "cobioe_community.OpportunityPage",
        verbose_name=_("opportunity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    subject = models.CharField(_("subject"), max_length=MAX_SUBJECT)
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(db_index=True)
    language = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


class RelayMessage(models.Model):
    """One message of a conversation, by the sender or by a representative of the
    organisation contacted."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_organisation = models.BooleanField(
        default=False, help_text="Written by a representative of the organisation contacted."
    )
    body = models.TextField(_("message"), max_length=MAX_BODY)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Recipients of the e-mail that relayed it (a count, never their addresses).
    relayed_to = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("relayed message")
        verbose_name_plural = _("relayed messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.conversation_id}/{self.pk}"


class SenderBlock(models.Model):
    """An organisation's representatives no longer receive anything from ``sender``."""

    organisation = models.ForeignKey(
        "cobioe_actors.ActorPage", on_delete=models.CASCADE, related_name="+"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked sender")
        verbose_name_plural = _("blocked senders")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sender"], name="community_senderblock_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.organisation_id}"


class RelayReport(models.Model):
    """A recipient's report of a conversation, for the editors."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report of a conversation")
        verbose_name_plural = _("reports of conversations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.reason[:40]}"
