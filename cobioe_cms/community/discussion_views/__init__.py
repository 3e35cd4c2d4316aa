"""The discussions' pages and actions, on the front end.

A thread is always reached through its group (``/community/groups/<group>/threads/<id>/``);
a thread or a reply of another group is a 404, and so is anything of a group whose
discussions the visitor may not read (a members-only group's threads do not exist for
others). Every change is POST-only with Django's CSRF check; the rules are those of
:mod:`..discussions`, whose refusals are shown as messages. A refused or invalid post
shows the page again with what the member wrote.

- :mod:`.reading`: the thread page and a reply's permalink;
- :mod:`.posting`: what members do (start a thread, reply, edit, delete, report, follow);
- :mod:`.moderating`: what moderators do (pin, lock, move, approve, remove, restore,
  dismiss reports, mute) and their queue;
- :mod:`.shared`: finding things with the visitor's rights, and the form pages' helper.
"""

from .moderating import (
    moderate_reply,
    moderate_thread,
    moderation_queue,
    move_thread,
    mute_member,
)
from .posting import (
    delete_reply,
    edit_reply,
    edit_thread,
    flag_reply,
    follow_thread,
    new_thread,
    post_reply,
)
from .reading import reply_permalink, thread_page

__all__ = [
    # reading
    "reply_permalink",
    "thread_page",
    # members' actions
    "delete_reply",
    "edit_reply",
    "edit_thread",
    "flag_reply",
    "follow_thread",
    "new_thread",
    "post_reply",
    # moderators' actions
    "moderate_reply",
    "moderate_thread",
    "moderation_queue",
    "move_thread",
    "mute_member",
]
