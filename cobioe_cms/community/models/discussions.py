"""The discussions of a working group: threads, and their replies.

A :class:`Thread` belongs to one group (coordinators may move it to another). Its
replies are django-comments-xtd comments on it: :class:`Reply` is the site's
``COMMENTS_XTD_MODEL``, an ``XtdComment`` (threaded: ``thread_id``, ``parent_id``,
``level``, ``order``) with what the community adds: the edit and deletion dates, the
moderator's removal.

States of a reply, none of which breaks the tree:

- ``is_public=False``: held for moderation (first posts of new accounts); only its author
  and the group's moderators see it, until a moderator approves it;
- ``deleted_at``: deleted by its author; its text is erased, a placeholder keeps its place;
- ``removed_at``: removed by a moderator; the text stays for the moderators, the others
  see a placeholder.

django-comments' own ``is_removed`` is not used: saving a comment with it set unpublishes
its whole subtree (django-comments-xtd's ``pre_save`` handler), which would hide the
other members' answers. For the same reason state changes are ``update()``s, never
``save()``s of an existing reply.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 10000


class ThreadQuerySet(models.QuerySet):
    def visible(self) -> ThreadQuerySet:
        """Threads anyone who may read the group sees (not held, not removed)."""
        return self.filter(status=Thread.Status.PUBLISHED)

    def in_public_groups(self) -> ThreadQuerySet:
        """Threads of live, unrestricted groups whose discussions are public."""
        from .groups import WorkingGroupPage

        groups = (
            WorkingGroupPage.objects.live()
            .public()
            .filter(discussion_visibility=WorkingGroupPage.Visibility.PUBLIC)
        )
        return self.filter(group__in=groups.values("pk"))

    def listing_order(self) -> ThreadQuerySet:
        return self.order_by("-is_pinned", "-last_activity_at", "-pk")


class Thread(models.Model):
    """A conversation in a working group: a title and an opening post by a member."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("published")
        HELD = "held", _("held for moderation")
        REMOVED = "removed", _("removed by a moderator")

    group = models.ForeignKey(
        "cobioe_community.WorkingGroupPage",
        on_delete=models.CASCADE,
        related_name="threads",
        verbose_name=_("working group"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_threads",
        verbose_name=_("author"),
    )
    author_name = models.CharField(_("author's name"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("message"), max_length=BODY_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("discussion thread")
        verbose_name_plural = _("discussion threads")
        ordering = ["-is_pinned", "-last_activity_at", "-pk"]
        indexes = [
            models.Index(
                fields=["group", "status", "-is_pinned", "-last_activity_at"],
                name="community_thread_listing",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:thread", args=[self.group_id, self.pk])

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Reply(XtdComment):
    """A reply in a :class:`Thread` (the site's django-comments-xtd comment model)."""

    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted by its author"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed by a moderator"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    @property
    def is_gone(self) -> bool:
        """Deleted by its author or removed by a moderator: shown as a placeholder."""
        return bool(self.deleted_at or self.removed_at)


class Follow(models.Model):
    """A member follows a group (new threads) or a thread (new replies)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_follows"
    )
    group = models.ForeignKey(
        "cobioe_community.WorkingGroupPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(group__isnull=False, thread__isnull=True)
                    | models.Q(group__isnull=True, thread__isnull=False)
                ),
                name="community_follow_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "group"],
                condition=models.Q(thread__isnull=True),
                name="community_follow_group_once",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=models.Q(group__isnull=True),
                name="community_follow_thread_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.thread or self.group}"


class Notification(models.Model):
    """Something that happened for a member: a reply in a thread they follow, a mention,
    a decision on their membership, a new thread in a group they follow. Listed on their
    notifications page; e-mailed at once, in the watch digest or never, as they chose
    (:class:`NotificationPreference`)."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("replies in threads I follow")
        MENTION = "mention", _("mentions of me or my organisation")
        MEMBERSHIP = "membership", _("decisions about my memberships")
        NEW_THREAD = "new_thread", _("new threads in groups I follow")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_notifications"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    verb = models.CharField(max_length=30, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.ForeignKey(
        "cobioe_community.WorkingGroupPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="community_notif_unread"),
            models.Index(fields=["recipient", "-created_at"], name="community_notif_list"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient}"


class NotificationPreference(models.Model):
    """How a member hears of one kind of notification by e-mail; without a row, the
    kind's default (:data:`DEFAULT_DELIVERY`)."""

    class Delivery(models.TextChoices):
        IMMEDIATELY = "immediately", _("by e-mail, at once")
        DIGEST = "digest", _("in my watch digest")
        NEVER = "never", _("never by e-mail (only on the notifications page)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_notification_preferences",
    )
    kind = models.CharField(max_length=12, choices=Notification.Kind.choices)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="community_pref_once")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.delivery}"


DEFAULT_DELIVERY = {
    Notification.Kind.REPLY: NotificationPreference.Delivery.IMMEDIATELY,
    Notification.Kind.MENTION: NotificationPreference.Delivery.IMMEDIATELY,
    Notification.Kind.MEMBERSHIP: NotificationPreference.Delivery.IMMEDIATELY,
    Notification.Kind.NEW_THREAD: NotificationPreference.Delivery.DIGEST,
}
