"""What happens in the discussions, for the parts of the community that react to it
(notifications, the search index), so that :mod:`.discussions` needs to know none of them.

- ``thread_published(thread)``: a thread became visible (posted, or approved by a moderator);
- ``reply_published(reply, thread)``: a reply became visible;
- ``thread_changed(thread)``: a thread's text, group, status or visibility changed (edited,
  moved, removed, restored), or its replies did: whatever mirrors it must read it again.
"""

from django.dispatch import Signal

thread_published = Signal()
reply_published = Signal()
thread_changed = Signal()
