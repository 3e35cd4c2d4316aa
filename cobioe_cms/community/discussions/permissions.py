"""Who may read, post, edit and moderate in a group's discussions, and within what limits.

- Reading follows the group's ``discussion_visibility``: public, or active members (and
  editors) only.
- Posting (a thread or a reply) needs an active membership that no coordinator muted; a
  locked thread takes replies from its moderators only. Limits hold across workers (the
  shared cache, :func:`cobioe_cms.core.ratelimit.allow`): posts per hour, threads per
  day, links per post. The posts of an account younger than
  ``COBIOE_COMMUNITY_NEW_ACCOUNT_DAYS`` are held for a moderator until one of them is
  approved.
- Authors edit within ``COBIOE_COMMUNITY_EDIT_WINDOW_MINUTES``. Moderators are the group's
  coordinators, and editors.

The ``check_*`` functions raise :class:`Refused`; :mod:`.actions` calls them first.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from cobioe_cms.core.conf import conf
from cobioe_cms.core.ratelimit import allow

from ..memberships import Refused, can_manage, is_editor, membership_of
from ..models import GroupMembership, Reply, Thread, WorkingGroupPage
from ..text import link_count

HOUR = 3600
DAY = 24 * HOUR
FLAGS_PER_DAY = 50


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


def check_can_post(user, group, thread=None) -> GroupMembership | None:
    membership = membership_of(user, group)
    refusal = posting_refusal(user, group, membership, thread)
    if refusal:
        raise Refused(refusal)
    return membership


def check_text(text: str) -> None:
    if link_count(text) > conf.COMMUNITY_MAX_LINKS:
        raise Refused(
            _("A post may hold at most %(count)d links; remove some and post again.")
            % {"count": conf.COMMUNITY_MAX_LINKS}
        )


def check_rate(user, new_thread: bool = False) -> None:
    if new_thread and not allow(f"community-thread:{user.pk}", conf.COMMUNITY_THREADS_PER_DAY, DAY):
        raise Refused(_("You have started many threads today; try again tomorrow."))
    if not allow(f"community-post:{user.pk}", conf.COMMUNITY_POSTS_PER_HOUR, HOUR):
        raise Refused(_("You have posted a lot in the last hour; wait a little and try again."))


def check_flag_rate(user) -> None:
    if not allow(f"community-flag:{user.pk}", FLAGS_PER_DAY, DAY):
        raise Refused(_("You have reported many replies today; the moderators will look."))


def check_moderator(user, group: WorkingGroupPage) -> None:
    if not can_moderate(user, group):
        raise Refused(_("Only the coordinators of this group and editors can do that."))


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


def move_targets(user, group: WorkingGroupPage):
    """The other live groups ``user`` may move a thread of ``group`` to."""
    groups = WorkingGroupPage.objects.live().public().exclude(pk=group.pk).order_by("title")
    if is_editor(user, group):
        return groups
    return groups.filter(
        pk__in=GroupMembership.objects.coordinators().filter(user=user).values("group_id")
    )
