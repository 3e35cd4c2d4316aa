"""The rules of the discussions: who reads, posts, edits and moderates, and each action.

As :mod:`.memberships` does for memberships: views call these functions and show their
:class:`Refused` messages; nothing here reads a request. What other parts react to
(notifications, the search index) is announced by :mod:`.signals`.

- Reading follows the group's ``discussion_visibility``: public, or active members (and
  editors) only.
- Posting (a thread or a reply) needs an active membership that no coordinator muted; a
  locked thread takes replies from its moderators only. Limits hold across workers (the
  shared cache, :func:`cobioe_cms.core.ratelimit.allow`): posts per hour, threads per
  day, links per post. The posts of an account younger than
  ``COBIOE_COMMUNITY_NEW_ACCOUNT_DAYS`` are held for a moderator until one of them is
  approved.
- Authors edit within ``COBIOE_COMMUNITY_EDIT_WINDOW_MINUTES`` and delete their replies at
  any time (a placeholder keeps the tree). Moderators (the group's coordinators, and
  editors) approve, remove and restore, pin, lock, move threads and mute members.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_comments.models import CommentFlag
from django_comments_xtd.models import max_thread_level_for_content_type

from cobioe_cms.core.conf import conf
from cobioe_cms.core.ratelimit import allow

from . import signals
from .memberships import Refused, can_manage, is_editor, membership_of
from .models import Follow, GroupMembership, Reply, Thread, WorkingGroupPage
from .text import link_count

HOUR = 3600
DAY = 24 * HOUR
FLAGS_PER_DAY = 50

__all__ = ["Refused"]


# -- who may do what --------------------------------------------------------------------


def can_read(user, group: WorkingGroupPage, membership: GroupMembership | None = None) -> bool:
    if group.discussion_visibility == WorkingGroupPage.Visibility.PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    if membership is None:
        membership = membership_of(user, group)
    return (membership is not None and membership.is_active) or is_editor(user, group)


def can_moderate(user, group: WorkingGroupPage, membership: GroupMembership | None = None):
    return can_manage(user, group, membership)


def posting_refusal(
    user,
    group: WorkingGroupPage,
    membership: GroupMembership | None,
    thread: Thread | None = None,
    moderator: bool | None = None,
) -> str:
    """Why ``user`` may not post here now ('' when they may). ``moderator``: what
    :func:`can_moderate` said, when the caller already asked it."""
    if not user.is_authenticated:
        return _("Sign in and join the group to take part in its discussions.")
    if moderator is None:
        moderator = can_moderate(user, group, membership)
    if not moderator and (membership is None or not membership.is_active):
        return _("Join the group to take part in its discussions.")
    if membership is not None and membership.is_muted and not is_editor(user, group):
        return _("A coordinator of this group muted you: you can read but not post.")
    if thread is not None and thread.is_locked and not moderator:
        return _("This thread is locked: no new replies.")
    if thread is not None and not thread.is_visible and not moderator:
        return _("This thread is not open for replies.")
    return ""


def _check_can_post(user, group, thread=None) -> GroupMembership | None:
    membership = membership_of(user, group)
    refusal = posting_refusal(user, group, membership, thread)
    if refusal:
        raise Refused(refusal)
    return membership


def _check_text(text: str) -> None:
    if link_count(text) > conf.COMMUNITY_MAX_LINKS:
        raise Refused(
            _("A post may hold at most %(count)d links; remove some and post again.")
            % {"count": conf.COMMUNITY_MAX_LINKS}
        )


def _check_rate(user, new_thread: bool = False) -> None:
    if new_thread and not allow(f"community-thread:{user.pk}", conf.COMMUNITY_THREADS_PER_DAY, DAY):
        raise Refused(_("You have started many threads today; try again tomorrow."))
    if not allow(f"community-post:{user.pk}", conf.COMMUNITY_POSTS_PER_HOUR, HOUR):
        raise Refused(_("You have posted a lot in the last hour; wait a little and try again."))


def must_hold(user, group: WorkingGroupPage) -> bool:
    """A young account's posts wait for a moderator until one of them was approved."""
    if can_moderate(user, group):
        return False
    young = timezone.now() - user.date_joined < datetime.timedelta(
        days=conf.COMMUNITY_NEW_ACCOUNT_DAYS
    )
    if not young:
        return False
    approved = (
        Thread.objects.filter(author=user, status=Thread.Status.PUBLISHED).exists()
        or Reply.objects.filter(user=user, is_public=True).exists()
    )
    return not approved


def in_edit_window(created_at: datetime.datetime) -> bool:
    window = datetime.timedelta(minutes=conf.COMMUNITY_EDIT_WINDOW_MINUTES)
    return timezone.now() - created_at <= window


def can_edit_thread(user, thread: Thread) -> bool:
    return (
        user.is_authenticated
        and thread.author_id == user.pk
        and thread.status != Thread.Status.REMOVED
        and in_edit_window(thread.created_at)
    )


def can_edit_reply(user, reply: Reply) -> bool:
    return (
        user.is_authenticated
        and reply.user_id == user.pk
        and not reply.is_gone
        and in_edit_window(reply.submit_date)
    )


def follow_thread(user, thread: Thread) -> None:
    Follow.objects.get_or_create(user=user, thread=thread, group=None)


def unfollow_thread(user, thread: Thread) -> None:
    Follow.objects.filter(user=user, thread=thread).delete()


def is_following(user, thread: Thread) -> bool:
    return user.is_authenticated and Follow.objects.filter(user=user, thread=thread).exists()


def move_targets(user, group: WorkingGroupPage):
    """The other live groups ``user`` may move a thread of ``group`` to."""
    groups = WorkingGroupPage.objects.live().public().exclude(pk=group.pk).order_by("title")
    if is_editor(user, group):
        return groups
    return groups.filter(
        pk__in=GroupMembership.objects.coordinators().filter(user=user).values("group_id")
    )


def _language() -> str:
    return translation.get_language() or ""


def recount(thread: Thread) -> None:
    """The thread's visible replies, counted again (one query)."""
    count = replies_of(thread).filter(is_public=True, deleted_at=None, removed_at=None).count()
    Thread.objects.filter(pk=thread.pk).update(reply_count=count)
    thread.reply_count = count


def recent_replies(group: WorkingGroupPage, count: int = 5) -> list[Reply]:
    """The group's latest visible replies, each with its ``thread`` (two queries)."""
    threads = group.threads.visible().annotate(key=Cast("pk", CharField())).values("key")
    replies = list(
        Reply.objects.filter(
            content_type=ContentType.objects.get_for_model(Thread),
            object_pk__in=threads,
            is_public=True,
            deleted_at=None,
            removed_at=None,
        ).order_by("-submit_date")[:count]
    )
    by_pk = Thread.objects.in_bulk([int(r.object_pk) for r in replies])
    for reply in replies:
        reply.thread = by_pk.get(int(reply.object_pk))
    return [r for r in replies if r.thread is not None]


def replies_of(thread: Thread):
    return Reply.objects.filter(
        content_type=ContentType.objects.get_for_model(Thread), object_pk=str(thread.pk)
    )


# -- members' actions -------------------------------------------------------------------


@transaction.atomic
def start_thread(user, group: WorkingGroupPage, title: str, body: str) -> Thread:
    membership = _check_can_post(user, group)
    _check_text(f"{title}\n{body}")
    _check_rate(user, new_thread=True)
    held = must_hold(user, group)
    thread = Thread.objects.create(
        group=group,
        author=user,
        author_name=(membership.display_name() if membership else user.get_username())[:100],
        title=title,
        body=body,
        status=Thread.Status.HELD if held else Thread.Status.PUBLISHED,
        language=_language(),
    )
    follow_thread(user, thread)
    if not held:
        transaction.on_commit(lambda: signals.thread_published.send(Thread, thread=thread))
    return thread


def reply_parent(thread: Thread, parent_id: int) -> Reply | None:
    """The reply answered (``parent_id``, 0 for none), refused unless it is a visible
    reply of ``thread`` that can take answers (threads are ``COMMENTS_XTD_MAX_THREAD_LEVEL``
    deep)."""
    if not parent_id:
        return None
    parent = replies_of(thread).filter(pk=parent_id).first()
    if parent is None or parent.is_gone or not parent.is_public:
        raise Refused(_("The reply you answer is no longer there."))
    max_level = max_thread_level_for_content_type(parent.content_type)
    if parent.level >= max_level:
        raise Refused(
            _("Replies nest %(levels)d levels deep at most; answer higher up.")
            % {"levels": max_level + 1}
        )
    return parent


@transaction.atomic
def post_reply(user, thread: Thread, text: str, parent: Reply | None = None) -> Reply:
    membership = _check_can_post(user, thread.group, thread)
    _check_text(text)
    _check_rate(user)
    held = must_hold(user, thread.group)
    name = membership.display_name() if membership else user.get_username()
    reply = Reply(
        content_type=ContentType.objects.get_for_model(Thread),
        object_pk=str(thread.pk),
        site_id=settings.SITE_ID,
        user=user,
        user_name=name[:50],
        user_email=user.email,
        comment=text,
        submit_date=timezone.now(),
        is_public=not held,
        parent_id=parent.pk if parent else 0,
        language=_language(),
    )
    reply.save()
    follow_thread(user, thread)
    if not held:
        _published(reply, thread)
    return reply


def _published(reply: Reply, thread: Thread) -> None:
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=timezone.now())
    recount(thread)
    transaction.on_commit(
        lambda: (
            signals.reply_published.send(Reply, reply=reply, thread=thread),
            signals.thread_changed.send(Thread, thread=thread),
        )
    )


def edit_thread(user, thread: Thread, title: str, body: str) -> None:
    if not can_edit_thread(user, thread):
        raise Refused(_("You can no longer edit this thread."))
    _check_text(f"{title}\n{body}")
    Thread.objects.filter(pk=thread.pk).update(title=title, body=body, edited_at=timezone.now())
    _changed(thread)


def edit_reply(user, reply: Reply, text: str) -> None:
    if not can_edit_reply(user, reply):
        raise Refused(_("You can no longer edit this reply."))
    _check_text(text)
    # update(), not save(): django-comments-xtd's pre_save would republish held answers.
    Reply.objects.filter(pk=reply.pk).update(comment=text, edited_at=timezone.now())
    _changed(reply.content_object)


def delete_reply(user, reply: Reply) -> None:
    """The author deletes their reply: its text is erased; its place (and the answers to
    it) stay, under a placeholder."""
    if not user.is_authenticated or reply.user_id != user.pk:
        raise Refused(_("Only its author can delete a reply."))
    if reply.deleted_at:
        raise Refused(_("This reply was already deleted."))
    Reply.objects.filter(pk=reply.pk).update(comment="", deleted_at=timezone.now())
    thread = reply.content_object
    recount(thread)
    _changed(thread)


def flag_reply(user, reply: Reply) -> bool:
    """A reader asks the moderators to look at a reply; False if they already had."""
    if not user.is_authenticated or reply.user_id == user.pk:
        raise Refused(_("You cannot report your own reply."))
    if reply.is_gone or not reply.is_public:
        raise Refused(_("This reply is not shown; there is nothing to report."))
    if not allow(f"community-flag:{user.pk}", FLAGS_PER_DAY, DAY):
        raise Refused(_("You have reported many replies today; the moderators will look."))
    _flag, created = CommentFlag.objects.get_or_create(
        comment=reply, user=user, flag=CommentFlag.SUGGEST_REMOVAL
    )
    return created


def _changed(thread: Thread) -> None:
    transaction.on_commit(lambda: signals.thread_changed.send(Thread, thread=thread))


# -- moderators' actions ----------------------------------------------------------------


def _check_moderator(user, group: WorkingGroupPage) -> None:
    if not can_moderate(user, group):
        raise Refused(_("Only the coordinators of this group and editors can do that."))


def approve_thread(user, thread: Thread) -> None:
    _check_moderator(user, thread.group)
    if thread.status == Thread.Status.PUBLISHED:
        raise Refused(_("This thread is already published."))
    was_held = thread.status == Thread.Status.HELD
    Thread.objects.filter(pk=thread.pk).update(status=Thread.Status.PUBLISHED, removed_by=None)
    thread.status = Thread.Status.PUBLISHED
    if was_held:
        transaction.on_commit(lambda: signals.thread_published.send(Thread, thread=thread))
    _changed(thread)


def remove_thread(user, thread: Thread) -> None:
    _check_moderator(user, thread.group)
    Thread.objects.filter(pk=thread.pk).update(status=Thread.Status.REMOVED, removed_by=user)
    thread.status = Thread.Status.REMOVED
    _changed(thread)


def set_pinned(user, thread: Thread, pinned: bool) -> None:
    _check_moderator(user, thread.group)
    Thread.objects.filter(pk=thread.pk).update(is_pinned=pinned)


def set_locked(user, thread: Thread, locked: bool) -> None:
    _check_moderator(user, thread.group)
    Thread.objects.filter(pk=thread.pk).update(is_locked=locked)


def move_thread(user, thread: Thread, to_group: WorkingGroupPage) -> None:
    """Move a thread (and its replies) to another group the moderator moderates too."""
    _check_moderator(user, thread.group)
    if to_group.pk == thread.group_id:
        raise Refused(_("The thread is already in this group."))
    if not can_moderate(user, to_group):
        raise Refused(_("You can only move a thread to a group you coordinate."))
    Thread.objects.filter(pk=thread.pk).update(group=to_group)
    thread.group = to_group
    _changed(thread)


def approve_reply(user, reply: Reply, thread: Thread) -> None:
    _check_moderator(user, thread.group)
    if reply.is_public:
        raise Refused(_("This reply is already published."))
    Reply.objects.filter(pk=reply.pk).update(is_public=True)
    reply.is_public = True
    _published(reply, thread)


def remove_reply(user, reply: Reply, thread: Thread) -> None:
    _check_moderator(user, thread.group)
    if reply.removed_at:
        raise Refused(_("This reply was already removed."))
    Reply.objects.filter(pk=reply.pk).update(removed_at=timezone.now(), removed_by=user)
    CommentFlag.objects.get_or_create(comment=reply, user=user, flag=CommentFlag.MODERATOR_DELETION)
    recount(thread)
    _changed(thread)


def restore_reply(user, reply: Reply, thread: Thread) -> None:
    _check_moderator(user, thread.group)
    if not reply.removed_at:
        raise Refused(_("This reply is not removed."))
    Reply.objects.filter(pk=reply.pk).update(removed_at=None, removed_by=None)
    recount(thread)
    _changed(thread)


def dismiss_flags(user, reply: Reply, thread: Thread) -> None:
    """The moderator looked and keeps the reply: its reports are cleared."""
    _check_moderator(user, thread.group)
    CommentFlag.objects.filter(comment=reply, flag=CommentFlag.SUGGEST_REMOVAL).delete()
    CommentFlag.objects.get_or_create(comment=reply, user=user, flag=CommentFlag.MODERATOR_APPROVAL)


def set_muted(user, membership: GroupMembership, muted: bool) -> None:
    _check_moderator(user, membership.group)
    if muted and membership.is_coordinator:
        raise Refused(_("A coordinator cannot be muted; remove their role first."))
    GroupMembership.objects.filter(pk=membership.pk).update(
        muted_at=timezone.now() if muted else None, muted_by=user if muted else None
    )
