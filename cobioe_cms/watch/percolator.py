"""Watch matching on the search cluster: :class:`PercolatorMatcher`.

:func:`.matching.get_matcher` chooses it whenever a search cluster is configured
(``COBIOE_WATCH_MATCHER`` may force either matcher). Build its indexes when the cluster
is switched on (``manage.py search_rebuild``, or ``make search-index``): until then each
call faults, is logged, and the database matcher answers. Percolation runs in the
digest job, not in a page, so its requests may take ``COBIOE_WATCH_PERCOLATE_TIMEOUT``
seconds (default 120) instead of the pages' short ``COBIOE_SEARCH["TIMEOUT"]``.

It gives the answers of :class:`.matching.DatabaseMatcher`, found another way:

``profiles_for_items`` (the digest run: new items against every member)
    Each profile is stored in the ``watch_profiles`` index as one percolator query
    (:func:`.search_documents.profile_query`). New items are percolated in batches
    (``percolate`` with ``documents=[...]``); each hit is a profile and its
    ``_percolator_document_slot`` lists the items of the batch it matches. Hits are
    read with a scroll, so 20,000 matching profiles cost a few pages, not one huge one.

``items_for`` / ``news_for`` (a member's feed)
    The profile's query runs against the ``watch_items`` / ``news`` index and yields
    ids; the database's own query, restricted to those ids, then filters and scores
    them. The cluster spares the database its costly part (a substring scan of every
    item's text per keyword); the database keeps the last word, so the two matchers
    can never disagree on a ``score``, and a stale document cannot show an item that
    no longer matches. Past ``MAX_IDS`` ids the list would cost more than it saves
    (and, a little further, pass SQLite's 32,766 parameters): the database answers
    alone.

Every cluster call goes through :func:`cobioe_cms.search.service.answer` with the
database matcher as the other answer: when the cluster is down, slow or its index is
missing, the fault is logged and members still get correct results.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from elasticsearch_dsl import Q, Search

from cobioe_cms.core.conf import conf
from cobioe_cms.core.vocabulary import TOPIC_RELATIONS
from cobioe_cms.news.search_documents import INDEX_NAME as NEWS_INDEX
from cobioe_cms.search.client import get_client, helpers
from cobioe_cms.search.indexes import SearchNotConfigured, alias_name
from cobioe_cms.search.service import answer

from .matching import DatabaseMatcher, visible_actors
from .models import InterestProfile, WatchItem
from .search_documents import (
    ITEM_RELATIONS,
    ITEMS_INDEX,
    PROFILE_RELATIONS,
    PROFILES_INDEX,
    profile_query,
    serialize_item,
)

logger = logging.getLogger("cobioe_cms.watch")

# The cluster's default ``index.max_result_window``: one request, no scroll.
MAX_IDS = 10_000
# Items per percolate request. Each request builds an in-memory index of its items and
# reads every candidate stored query once, whatever the batch size: that reading is
# most of the cost, so large batches pay (measured: 1,000 items in one request took
# 2.6 s against 2,000 profiles, in ten requests 11 s).
PERCOLATE_BATCH = 500
# Profiles per scroll page of a percolate request.
PERCOLATE_PAGE = 1_000
# What the stored queries read of an item (the rest would only be analysed for nothing).
PERCOLATED_FIELDS = ("keywords_text", "countries", *ITEM_RELATIONS)


def _client() -> Any:
    client = get_client()
    if client is None:
        raise SearchNotConfigured("no search cluster configured")
    return client


def _ids_matching(index: str, filters: list[Q]) -> set[int] | None:
    """Ids of the documents every filter selects in ``index``; None past MAX_IDS."""
    search = (
        Search()
        .query(Q("bool", filter=filters))
        .sort("_doc")
        .source(False)
        .extra(size=MAX_IDS, track_total_hits=True)
    )
    response = _client().search(index=alias_name(index), body=search.to_dict())
    hits = response["hits"]["hits"]
    if response["hits"]["total"]["value"] > len(hits):
        return None
    return {int(hit["_id"]) for hit in hits}


def cluster_item_ids_for(profile: InterestProfile) -> set[int] | None:
    """Ids of the non-duplicate items ``profile`` matches (its "not relevant" items
    included), or None when there are more than MAX_IDS."""
    query = profile_query(profile)
    if query is None:
        return set()
    return _ids_matching(ITEMS_INDEX, [query, Q("term", is_duplicate=False)])


def _contains_text(text: str) -> Q:
    """``title__icontains=text | summary__icontains=text`` on the news document. The
    pattern is the text itself, lower-cased, with wildcard operators escaped."""
    literal = text.lower().replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")
    return Q("wildcard", contains_text={"value": f"*{literal}*"})


def news_query(profile: InterestProfile) -> Q | None:
    """The news ``profile`` matches, as ``DatabaseMatcher.news_for`` defines it: any
    term, country or followed actor, any keyword in the title or summary (as typed,
    any case), and no excluded word there. None for a profile without interests.

    "Any case" is lower-casing both sides, as PostgreSQL's ``icontains`` does; SQLite's
    ignores the case of ASCII letters only, so there "évry" does not find "Évry".
    """
    interests: list[Q] = []
    for relation in TOPIC_RELATIONS:
        slugs = sorted(term.slug for term in getattr(profile, relation).all())
        if slugs:
            interests.append(Q("terms", **{relation: slugs}))
    countries = sorted({str(code) for code in profile.countries})
    if countries:
        interests.append(Q("terms", countries=countries))
    interests.extend(_contains_text(word) for word in profile.keyword_list())
    actor_ids = sorted(actor.pk for actor in profile.followed_actors.all())
    if actor_ids:
        interests.append(Q("terms", related_actors=actor_ids))
    if not interests:
        return None
    return Q(
        "bool",
        should=interests,
        minimum_should_match=1,
        must_not=[_contains_text(word) for word in profile.excluded_list()],
    )


def cluster_news_ids_for(profile: InterestProfile) -> set[int] | None:
    """Ids of the live, public news ``profile`` matches, or None past MAX_IDS."""
    query = news_query(profile)
    if query is None:
        return set()
    return _ids_matching(NEWS_INDEX, [query])


def percolation_document(item: WatchItem) -> dict[str, Any]:
    document = serialize_item(item)
    return {key: document[key] for key in PERCOLATED_FIELDS if key in document}


def cluster_profiles_for_items(items: list[WatchItem]) -> dict[int, set[int]]:
    """item id -> ids of the profiles whose stored query matches it."""
    client = _client()
    timeout = conf.WATCH_PERCOLATE_TIMEOUT
    result: dict[int, set[int]] = {item.pk: set() for item in items}
    # Only actors a member may see are percolated: the follow of an actor unpublished
    # or made private since does not match (the database matcher does the same).
    prefetch_related_objects(items, *TOPIC_RELATIONS, Prefetch("actors", queryset=visible_actors()))
    for start in range(0, len(items), PERCOLATE_BATCH):
        batch = items[start : start + PERCOLATE_BATCH]
        documents = [percolation_document(item) for item in batch]
        search = Search().query(Q("percolate", field="query", documents=documents))
        hits = helpers().scan(
            client,
            index=alias_name(PROFILES_INDEX),
            query=search.source(False).to_dict(),
            size=PERCOLATE_PAGE,
            request_timeout=timeout,
        )
        for hit in hits:
            profile_id = int(hit["_id"])
            slots = hit.get("fields", {}).get("_percolator_document_slot", [0])
            for slot in slots:
                result[batch[slot].pk].add(profile_id)
    return result


class PercolatorMatcher:
    """:class:`.matching.DatabaseMatcher`'s answers, found with the search cluster
    (see the module's docstring); the database answers when the cluster cannot."""

    def __init__(self) -> None:
        self.database = DatabaseMatcher()

    def items_for(self, profile: InterestProfile) -> QuerySet[WatchItem]:
        # Read the profile's relations once for both the cluster and database queries.
        prefetch_related_objects([profile], *PROFILE_RELATIONS)

        def from_cluster() -> QuerySet[WatchItem]:
            ids = cluster_item_ids_for(profile)
            matching = self.database.items_for(profile)
            if ids is None:
                logger.debug("profile %s matches over %d items: database only", profile.pk, MAX_IDS)
                return matching
            return matching.filter(pk__in=sorted(ids))

        return answer(
            "watch items of a member",
            cluster=from_cluster,
            database=lambda: self.database.items_for(profile),
        ).value

    def news_for(self, profile: InterestProfile) -> QuerySet:
        prefetch_related_objects([profile], *PROFILE_RELATIONS)

        def from_cluster() -> QuerySet:
            ids = cluster_news_ids_for(profile)
            matching = self.database.news_for(profile)
            return matching if ids is None else matching.filter(pk__in=sorted(ids))

        return answer(
            "watch news of a member",
            cluster=from_cluster,
            database=lambda: self.database.news_for(profile),
        ).value

    def profiles_for_items(self, items: list[WatchItem]) -> dict[int, set[int]]:
        """item id -> ids of the profiles it matches, for a batch of new items."""
        items = list(items)
        if not items:
            return {}
        return answer(
            "watch percolation",
            cluster=lambda: cluster_profiles_for_items(items),
            database=lambda: self.database.profiles_for_items(items),
        ).value
