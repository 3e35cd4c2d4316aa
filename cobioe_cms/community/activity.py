"""Follows and notifications: who hears of what happens in the discussions.

Connected to :mod:`.signals` in :meth:`CommunityConfig.ready`; :mod:`.discussions` knows
nothing of it. Every notification is a :class:`~.models.Notification` row listed on the
member's notifications page; its e-mail then follows the member's preference for its
kind (:func:`delivery_for`): sent at once (:func:`.notifications.send_notification`),
left for the watch digest (:mod:`.digest`), or never.

- ``reply_published``: the thread's followers hear of the reply (kind ``reply``), the
  representatives of an organisation mentioned in it (``@slug`` or a profile link) of the
  mention (kind ``mention``); one notification per person and reply, a mention winning
  over a follow.
- ``thread_published``: the group's followers hear of the new thread (a mention in its
  body wins, as for replies).
- Nobody hears of their own post, and nobody hears of a post they may not read (a
  members-only group's posts reach its active members and editors only; this is checked
  again when an e-mail goes out).
- Membership decisions (:mod:`.memberships`) go through
  :func:`.notifications.membership_decision`.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from cobioe_cms.actors.models import ActorPage, CartographyPage
from cobioe_cms.members.models import Representative

from . import notifications
from .discussions import can_read
from .memberships import Refused
from .models import Follow, Notification, Reply, Thread, WorkingGroupPage
from .text import mentioned_slugs

Kind = Notification.Kind


# -- following a group ------------------------------------------------------------------


def can_follow_group(user, group: WorkingGroupPage) -> bool:
    """Whoever may read the group's discussions (members-only: its active members)."""
    return user.is_authenticated and can_read(user, group)


def is_following_group(user, group: WorkingGroupPage) -> bool:
    return (
        user.is_authenticated
        and Follow.objects.filter(user=user, group=group, thread=None).exists()
    )


def follow_group(user, group: WorkingGroupPage) -> None:
    if not can_follow_group(user, group):
        raise Refused(_("Only members of this group can follow its discussions."))
    Follow.objects.get_or_create(user=user, group=group, thread=None)


def unfollow_group(user, group: WorkingGroupPage) -> None:
    Follow.objects.filter(user=user, group=group, thread=None).delete()


# -- who hears of a post ----------------------------------------------------------------


def mentioned_users(text: str) -> set[int]:
    """The ids of the representatives of the live profiles ``text`` mentions."""
    prefixes = [page.url for page in CartographyPage.objects.live().public()]
    slugs = mentioned_slugs(text, [p for p in prefixes if p])
    if not slugs:
        return set()
    actors = ActorPage.objects.live().public().filter(slug__in=slugs).values("pk")
    return set(Representative.objects.filter(actor__in=actors).values_list("user_id", flat=True))


def _recipients(text: str, follower_ids, author_id, group, kind: str) -> dict[int, str]:
    """user id → kind, for everyone who may read ``group`` (the author excluded)."""
    wanted = dict.fromkeys(follower_ids, kind)
    wanted.update(dict.fromkeys(mentioned_users(text), Kind.MENTION))
    wanted.pop(author_id, None)
    if not wanted:
        return {}
    users = get_user_model().objects.filter(pk__in=wanted, is_active=True)
    return {user.pk: wanted[user.pk] for user in users if can_read(user, group)}


def _create(recipients: dict[int, str], **fields) -> list[Notification]:
    created = [
        Notification.objects.create(recipient_id=user_id, kind=kind, verb=kind, **fields)
        for user_id, kind in recipients.items()
    ]
    for notification in created:
        deliver(notification)
    return created


def on_reply_published(sender, reply: Reply, thread: Thread, **kwargs) -> list[Notification]:
    group = thread.group
    followers = Follow.objects.filter(thread=thread).values_list("user_id", flat=True)
    recipients = _recipients(reply.comment, followers, reply.user_id, group, Kind.REPLY)
    # A reply approved, removed, restored…: its readers heard of it once.
    already = set(Notification.objects.filter(reply=reply).values_list("recipient_id", flat=True))
    recipients = {k: v for k, v in recipients.items() if k not in already}
    return _create(recipients, actor_id=reply.user_id, group=group, thread=thread, reply=reply)


def on_thread_published(sender, thread: Thread, **kwargs) -> list[Notification]:
    group = thread.group
    followers = Follow.objects.filter(group=group, thread=None).values_list("user_id", flat=True)
    text = f"{thread.title}\n{thread.body}"
    recipients = _recipients(text, followers, thread.author_id, group, Kind.NEW_THREAD)
    already = set(
        Notification.objects.filter(thread=thread, reply=None).values_list(
            "recipient_id", flat=True
        )
    )
    recipients = {k: v for k, v in recipients.items() if k not in already}
    return _create(recipients, actor_id=thread.author_id, group=group, thread=thread)


# -- e-mail -----------------------------------------------------------------------------


delivery_for = notifications.delivery_for


def deliver(notification: Notification) -> None:
    """E-mail ``notification`` now if its recipient wants this kind at once (after the
    transaction commits, so a rolled-back post sends nothing)."""
    if delivery_for(notification.recipient, notification.kind) == notifications.IMMEDIATELY:
        transaction.on_commit(lambda: notifications.send_notification(notification))


def connect() -> None:
    from . import signals

    signals.reply_published.connect(on_reply_published, dispatch_uid="community-notify-reply")
    signals.thread_published.connect(on_thread_published, dispatch_uid="community-notify-thread")
