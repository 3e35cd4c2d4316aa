"""What members and moderators do in the discussions: each function checks the rules of
:mod:`.permissions`, raises :class:`Refused` with the reason, or changes the data.

Authors edit within the edit window and delete their replies at any time (a placeholder
keeps the tree). Moderators approve, remove and restore, pin, lock, move threads and
mute members. What other parts react to (notifications, the search index) is announced
by :mod:`..signals`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_comments.models import CommentFlag
from django_comments_xtd.models import max_thread_level_for_content_type

from .. import signals
from ..memberships import Refused
from ..models import Follow, GroupMembership, Reply, Thread, WorkingGroupPage
from .permissions import (
    can_edit_reply,
    can_edit_thread,
    can_moderate,
    check_can_post,
    check_flag_rate,
    check_moderator,
    check_rate,
    check_text,
    must_hold,
)
from .queries import replies_of


def _language() -> str:
    return translation.get_language() or ""


def recount(thread: Thread) -> None:
    """The thread's visible replies, counted again (one query)."""
    count = replies_of(thread).filter(is_public=True, deleted_at=None, removed_at=None).count()
    Thread.objects.filter(pk=thread.pk).update(reply_count=count)
    thread.reply_count = count


# -- members' actions -------------------------------------------------------------------


def follow_thread(user, thread: Thread) -> None:
    Follow.objects.get_or_create(user=user, thread=thread, group=None)


def unfollow_thread(user, thread: Thread) -> None:
    Follow.objects.filter(user=user, thread=thread).delete()


@transaction.atomic
def start_thread(user, group: WorkingGroupPage, title: str, body: str) -> Thread:
    membership = check_can_post(user, group)
    check_text(f"{title}\n{body}")
    check_rate(user, new_thread=True)
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
    membership = check_can_post(user, thread.group, thread)
    check_text(text)
    check_rate(user)
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
    check_text(f"{title}\n{body}")
    Thread.objects.filter(pk=thread.pk).update(title=title, body=body, edited_at=timezone.now())
    _changed(thread)


def edit_reply(user, reply: Reply, text: str) -> None:
    if not can_edit_reply(user, reply):
        raise Refused(_("You can no longer edit this reply."))
    check_text(text)
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
    check_flag_rate(user)
    _flag, created = CommentFlag.objects.get_or_create(
        comment=reply, user=user, flag=CommentFlag.SUGGEST_REMOVAL
    )
    return created


def _changed(thread: Thread) -> None:
    transaction.on_commit(lambda: signals.thread_changed.send(Thread, thread=thread))


# -- moderators' actions ----------------------------------------------------------------


def approve_thread(user, thread: Thread) -> None:
    check_moderator(user, thread.group)
    if thread.status == Thread.Status.PUBLISHED:
        raise Refused(_("This thread is already published."))
    was_held = thread.status == Thread.Status.HELD
    Thread.objects.filter(pk=thread.pk).update(status=Thread.Status.PUBLISHED, removed_by=None)
    thread.status = Thread.Status.PUBLISHED
    if was_held:
        transaction.on_commit(lambda: signals.thread_published.send(Thread, thread=thread))
    _changed(thread)


def remove_thread(user, thread: Thread) -> None:
    check_moderator(user, thread.group)
    Thread.objects.filter(pk=thread.pk).update(status=Thread.Status.REMOVED, removed_by=user)
    thread.status = Thread.Status.REMOVED
    _changed(thread)


def set_pinned(user, thread: Thread, pinned: bool) -> None:
    check_moderator(user, thread.group)
    Thread.objects.filter(pk=thread.pk).update(is_pinned=pinned)


def set_locked(user, thread: Thread, locked: bool) -> None:
    check_moderator(user, thread.group)
    Thread.objects.filter(pk=thread.pk).update(is_locked=locked)


def move_thread(user, thread: Thread, to_group: WorkingGroupPage) -> None:
    """Move a thread (and its replies) to another group the moderator moderates too."""
    check_moderator(user, thread.group)
    if to_group.pk == thread.group_id:
        raise Refused(_("The thread is already in this group."))
    if not can_moderate(user, to_group):
        raise Refused(_("You can only move a thread to a group you coordinate."))
    Thread.objects.filter(pk=thread.pk).update(group=to_group)
    thread.group = to_group
    _changed(thread)


def approve_reply(user, reply: Reply, thread: Thread) -> None:
    check_moderator(user, thread.group)
    if reply.is_public:
        raise Refused(_("This reply is already published."))
    Reply.objects.filter(pk=reply.pk).update(is_public=True)
    reply.is_public = True
    _published(reply, thread)


def remove_reply(user, reply: Reply, thread: Thread) -> None:
    check_moderator(user, thread.group)
    if reply.removed_at:
        raise Refused(_("This reply was already removed."))
    Reply.objects.filter(pk=reply.pk).update(removed_at=timezone.now(), removed_by=user)
    CommentFlag.objects.get_or_create(comment=reply, user=user, flag=CommentFlag.MODERATOR_DELETION)
    recount(thread)
    _changed(thread)


def restore_reply(user, reply: Reply, thread: Thread) -> None:
    check_moderator(user, thread.group)
    if not reply.removed_at:
        raise Refused(_("This reply is not removed."))
    Reply.objects.filter(pk=reply.pk).update(removed_at=None, removed_by=None)
    recount(thread)
    _changed(thread)


def dismiss_flags(user, reply: Reply, thread: Thread) -> None:
    """The moderator looked and keeps the reply: its reports are cleared."""
    check_moderator(user, thread.group)
    CommentFlag.objects.filter(comment=reply, flag=CommentFlag.SUGGEST_REMOVAL).delete()
    CommentFlag.objects.get_or_create(comment=reply, user=user, flag=CommentFlag.MODERATOR_APPROVAL)


def set_muted(user, membership: GroupMembership, muted: bool) -> None:
    check_moderator(user, membership.group)
    if muted and membership.is_coordinator:
        raise Refused(_("A coordinator cannot be muted; remove their role first."))
    GroupMembership.objects.filter(pk=membership.pk).update(
        muted_at=timezone.now() if muted else None, muted_by=user if muted else None
    )
