"""The rules of the discussions: who reads, posts, edits and moderates, and each action.

As :mod:`..memberships` does for memberships: views call these functions and show their
:class:`Refused` messages; nothing here reads a request. What other parts react to
(notifications, the search index) is announced by :mod:`..signals`.

- :mod:`.permissions`: who may read, post, edit and moderate, and the limits (posts per
  hour, threads per day, links per post, new accounts' posts held for a moderator).
- :mod:`.actions`: what members and moderators do, each checked against those rules.
- :mod:`.queries`: what the pages read (a thread's replies, a group's latest ones).
"""

from ..memberships import Refused
from .actions import (
    approve_reply,
    approve_thread,
    delete_reply,
    dismiss_flags,
    edit_reply,
    edit_thread,
    flag_reply,
    follow_thread,
    move_thread,
    post_reply,
    recount,
    remove_reply,
    remove_thread,
    reply_parent,
    restore_reply,
    set_locked,
    set_muted,
    set_pinned,
    start_thread,
    unfollow_thread,
)
from .permissions import (
    can_edit_reply,
    can_edit_thread,
    can_moderate,
    can_read,
    in_edit_window,
    move_targets,
    must_hold,
    posting_refusal,
)
from .queries import is_following, recent_replies, replies_of

__all__ = [
    "Refused",
    # who may
    "can_edit_reply",
    "can_edit_thread",
    "can_moderate",
    "can_read",
    "in_edit_window",
    "move_targets",
    "must_hold",
    "posting_refusal",
    # what pages read
    "is_following",
    "recent_replies",
    "replies_of",
    # members' actions
    "delete_reply",
    "edit_reply",
    "edit_thread",
    "flag_reply",
    "follow_thread",
    "post_reply",
    "recount",
    "reply_parent",
    "start_thread",
    "unfollow_thread",
    # moderators' actions
    "approve_reply",
    "approve_thread",
    "dismiss_flags",
    "move_thread",
    "remove_reply",
    "remove_thread",
    "restore_reply",
    "set_locked",
    "set_muted",
    "set_pinned",
]
