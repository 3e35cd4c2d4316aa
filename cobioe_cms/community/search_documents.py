"""The public discussions in the search cluster: one document per public thread,
registered with ``cobioe_cms.search`` when this module is imported
(``CommunityConfig.ready()``; the search app knows no domain app, design.md §3).

Only a thread anyone may read is indexed: published (not held, not removed) in a live
working group without view restrictions whose discussions are public
(:meth:`.models.ThreadQuerySet.in_public_groups`). Any other key is deleted from the
index when it is synced (:func:`cobioe_cms.search.indexes.sync_many`), so a thread that
is removed, or whose group turns members-only, is unpublished or moved under a
restriction, leaves the index (:mod:`.search_sync` schedules it).

A thread is found by its title, its opening post and the text of its visible replies
(published, neither deleted by their author nor removed by a moderator): a
conversation is searched as a whole, and a reply's words lead to its thread. Held
replies are never indexed, even in a public group: only their author and the
moderators may read them.

The text is stored as the token strings of :mod:`cobioe_cms.core.analysis`
(``search_title``, ``search_text``), which the cluster matches with the same ``term``
and ``prefix`` queries as the actors' (:func:`cobioe_cms.actors.search_queries.concept_query`),
so that the cluster and the database (:mod:`.site_search`) find the same threads.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast
from elasticsearch_dsl import Date, Document, Integer, Keyword

from cobioe_cms.core.analysis import token_string
from cobioe_cms.search.registry import SearchDocument, bilingual_text, register, token_text

from .models import Reply, Thread

THREADS_INDEX = "community_threads"


class ThreadDocument(Document):
    """Mapping only; documents are written by ``cobioe_cms.search.indexes``."""

    title = bilingual_text()
    group = Integer()
    language = Keyword()
    last_activity_at = Date()
    search_title = token_text()
    search_text = token_text()
    pk = Integer()  # the last tie-breaker of the ranking, as the database's


def public_threads():
    """The threads anyone may read (the one definition the index and the site search
    share)."""
    return Thread.objects.visible().in_public_groups()


def threads_to_index():
    return public_threads().select_related("group").order_by("pk")


def visible_reply_texts(threads) -> dict[int, list[str]]:
    """The text of every visible reply of ``threads`` (a QuerySet), by thread id, in
    one query."""
    keys = threads.annotate(key=Cast("pk", CharField())).values("key")
    replies = Reply.objects.filter(
        content_type=ContentType.objects.get_for_model(Thread),
        object_pk__in=keys,
        is_public=True,
        deleted_at=None,
        removed_at=None,
    ).order_by("pk")
    texts: dict[int, list[str]] = {}
    for object_pk, comment in replies.values_list("object_pk", "comment"):
        texts.setdefault(int(object_pk), []).append(comment)
    return texts


# The analysis of a text, per process: the site search's database answer analyses every
# public thread at each search, and a text, once written, is mostly read again unchanged.
MAX_CACHED_TEXTS = 20_000


@lru_cache(maxsize=MAX_CACHED_TEXTS)
def text_tokens(text: str) -> str:
    return token_string([text])


def thread_tokens(thread: Thread, replies: list[str]) -> tuple[str, str]:
    """(title, whole text) token strings of a thread and its visible replies' text (as
    ``token_string([title, body, *replies])``: pairs are taken within each text)."""
    title = text_tokens(thread.title)
    found: dict[str, None] = {}
    for text in (thread.title, thread.body, *replies):
        found.update(dict.fromkeys(text_tokens(text).split()))
    return title, f" {' '.join(found)} " if found else ""


def serialize(thread: Thread) -> dict[str, Any]:
    replies = visible_reply_texts(Thread.objects.filter(pk=thread.pk)).get(thread.pk, [])
    title, text = thread_tokens(thread, replies)
    return {
        "title": thread.title,
        "group": thread.group_id,
        "language": thread.language or None,
        "last_activity_at": thread.last_activity_at.isoformat(),
        "search_title": title,
        "search_text": text,
        "pk": thread.pk,
    }


register(
    SearchDocument(
        name=THREADS_INDEX,
        document=ThreadDocument,
        serialize=serialize,
        # Public threads only: a synced key it does not yield is deleted from the index.
        queryset=threads_to_index,
    )
)
