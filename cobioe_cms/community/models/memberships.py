"""Who belongs to a working group, and the invitations coordinators send by e-mail."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REASON_MAX_LENGTH = 1000
MESSAGE_MAX_LENGTH = 1000


class GroupMembershipQuerySet(models.QuerySet):
    def active(self) -> GroupMembershipQuerySet:
        return self.filter(status=GroupMembership.Status.ACTIVE)

    def coordinators(self) -> GroupMembershipQuerySet:
        return self.active().filter(role=GroupMembership.Role.COORDINATOR)

    def with_people(self) -> GroupMembershipQuerySet:
        """Each member's name and the organisations they represent, in a fixed number of
        queries whatever the number of members."""
        return self.select_related("user", "user__member_profile").prefetch_related(
            "user__representations__actor"
        )


class GroupMembership(models.Model):
    """One member's place in a :class:`~.groups.WorkingGroupPage`: one row per group and
    user, kept after a decline, a removal or a departure so that the history (who
    decided, when, why) stays readable and a second request updates the same row.

    ``language`` is the language the member used when they last acted on the group:
    e-mails about their membership are written in it.
    """

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        COORDINATOR = "coordinator", _("coordinator")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        ACTIVE = "active", _("member")
        DECLINED = "declined", _("declined")
        REMOVED = "removed", _("removed")
        LEFT = "left", _("left the group")

    group = models.ForeignKey(
        "cobioe_community.WorkingGroupPage", on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(_("why you want to join"), max_length=REASON_MAX_LENGTH, blank=True)
    decision_message = models.TextField(
        _("message with the decision"), max_length=MESSAGE_MAX_LENGTH, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=10, blank=True)
    muted_at = models.DateTimeField(_("muted"), null=True, blank=True)
    muted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["group", "-role", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="unique_group_membership")
        ]
        indexes = [models.Index(fields=["group", "status"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.group} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_muted(self) -> bool:
        """A coordinator muted the member: they read the group but cannot post in it."""
        return self.muted_at is not None

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and self.role == self.Role.COORDINATOR

    def display_name(self) -> str:
        profile = getattr(self.user, "member_profile", None)
        return (profile.full_name if profile else "") or self.user.get_username()

    def organisations(self) -> list:
        """The live organisations the member represents (prefetched by ``with_people``)."""
        return [r.actor for r in self.user.representations.all() if r.actor.live]


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class GroupInvitation(models.Model):
    """A coordinator's invitation, by e-mail, to join a group.

    The address may have no account yet: the link leads to sign-in or sign-up, and once
    the address is verified on the account, accepting makes the account an active member
    (as ``cobioe_cms.members`` does for its organisation invitations).
    """

    VALID_FOR_DAYS = 14

    group = models.ForeignKey(
        "cobioe_community.WorkingGroupPage", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("group invitation")
        verbose_name_plural = _("group invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.group}"

    @property
    def is_expired(self) -> bool:
        return (timezone.now() - self.created_at).days >= self.VALID_FOR_DAYS

    @property
    def is_open(self) -> bool:
        return not (self.accepted_at or self.cancelled_at or self.is_expired)
