"""Keep the public threads' index in step with the database (connected in
``CommunityConfig.ready()``).

Updates go through :func:`cobioe_cms.search.tasks.schedule_sync`, which does nothing
when no cluster is configured and otherwise runs after the transaction commits; the sync
reads the thread again and deletes it from the index unless it is public
(:mod:`.search_documents`). So every change only has to name the threads it touched:

- the discussions' own signals (:mod:`.signals`): a thread published (posted, approved),
  changed (edited, moved, removed, a reply edited, deleted, removed or restored), a
  reply published;
- rows saved or deleted (``Thread.objects.create``, a reply's ``save()``: the demo
  loader and the factories write threads and replies this way);
- a working group published (its discussions may have turned members-only),
  unpublished or moved, or a view restriction set on it or above it, or lifted: every thread of
  the groups concerned.

Rows written otherwise (``update()``, ``bulk_create``) need
``manage.py search_rebuild community_threads``.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from cobioe_cms.search.conf import search_settings
from cobioe_cms.search.tasks import schedule_sync

from . import signals
from .models import Reply, Thread, WorkingGroupPage
from .search_documents import THREADS_INDEX


def _sync_threads(*threads: Thread | None) -> None:
    schedule_sync(THREADS_INDEX, [t.pk for t in threads if t is not None])


def _thread_signal(sender: Any, thread: Thread, **kwargs: Any) -> None:
    _sync_threads(thread)


def _thread_row(sender: Any, instance: Thread, **kwargs: Any) -> None:
    _sync_threads(instance)


def _reply_row(sender: Any, instance: Reply, **kwargs: Any) -> None:
    if instance.content_type_id == _thread_type_id() and str(instance.object_pk).isdigit():
        schedule_sync(THREADS_INDEX, [int(instance.object_pk)])


def _thread_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Thread).pk


def _sync_groups(groups) -> None:
    if not search_settings().configured:  # no query at all without a cluster
        return
    thread_ids = Thread.objects.filter(group__in=groups).values_list("pk", flat=True)
    schedule_sync(THREADS_INDEX, list(thread_ids))


def _group_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _sync_groups([instance.pk])


def _restriction_changed(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    if not search_settings().configured:
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # deleted with its page, whose groups' threads go with it
        return
    groups = WorkingGroupPage.objects.descendant_of(page, inclusive=True)
    _sync_groups(groups.values("pk"))


def connect() -> None:
    uid = "cobioe-community-search"
    signals.thread_published.connect(_thread_signal, dispatch_uid=f"{uid}-published")
    signals.thread_changed.connect(_thread_signal, dispatch_uid=f"{uid}-changed")
    signals.reply_published.connect(_thread_signal, dispatch_uid=f"{uid}-reply")
    post_save.connect(_thread_row, sender=Thread, dispatch_uid=f"{uid}-thread-saved")
    post_delete.connect(_thread_row, sender=Thread, dispatch_uid=f"{uid}-thread-deleted")
    post_save.connect(_reply_row, sender=Reply, dispatch_uid=f"{uid}-reply-saved")
    post_delete.connect(_reply_row, sender=Reply, dispatch_uid=f"{uid}-reply-deleted")
    group_signals = (
        (page_published, "published"),
        (page_unpublished, "unpublished"),
        (post_page_move, "moved"),
    )
    for signal, name in group_signals:
        signal.connect(_group_changed, sender=WorkingGroupPage, dispatch_uid=f"{uid}-group-{name}")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"{uid}-restriction-{name}",
        )
