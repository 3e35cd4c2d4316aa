"""What the discussions' pages read: a thread's replies, a group's latest ones, follows."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast

from ..models import Follow, Reply, Thread, WorkingGroupPage


def replies_of(thread: Thread):
    return Reply.objects.filter(
        content_type=ContentType.objects.get_for_model(Thread), object_pk=str(thread.pk)
    )


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


def is_following(user, thread: Thread) -> bool:
    return user.is_authenticated and Follow.objects.filter(user=user, thread=thread).exists()
