"""The watch's two indexes in the search cluster, registered with ``cobioe_cms.search``
from ``WatchConfig.ready()`` (the search app knows no domain app; design.md §3).

``watch_items``
    One document per ingested item (duplicates too, flagged, as the database keeps
    them). Full text in English and French, and the fields the matching reads, holding
    exactly what the database holds: taxonomy and actor ids, whole country codes, and
    ``keywords_text``, the folded text :class:`.matching.DatabaseMatcher` matches
    keywords in by substring.

``watch_profiles``
    A percolator index: one stored query per interest profile, :func:`profile_query`,
    with the :class:`.matching.DatabaseMatcher` semantics. Percolating a batch of new
    items answers "which members does each item interest?" in a few requests
    (:mod:`.percolator`). Its mapping holds the item fields as well: a stored query is
    parsed against them, and percolated items are read with them.

Keywords are substrings, not words ("bio" is in "biologics"). A wildcard ``*word*`` on
a keyword copy of the text says exactly that, but the cluster compiles an automaton for
each one, and a percolator re-reads every stored query at each request: measured on
the CI node, 2,000 profiles against 10 items took 11 s, so 20,000 would take minutes. The
text is therefore also indexed as character trigrams, one position each, and a
keyword of three characters or more becomes the phrase of its trigrams: the phrase
occurs exactly where the keyword does, and costs index lookups only (1.3 s for the
same 2,000 profiles; over 100,000 items it avoids scanning every item's text). Shorter
keywords ("5g") keep the wildcard.

Terms are stored and matched by id, not by slug: a stored query lives as long as the
profile, and an id never changes meaning.
"""

from __future__ import annotations

from typing import Any

from elasticsearch_dsl import (
    Boolean,
    Date,
    Document,
    Integer,
    Keyword,
    Percolator,
    Q,
    Text,
    analyzer,
    tokenizer,
)

from cobioe_cms.core.text import fold
from cobioe_cms.core.vocabulary import TOPIC_RELATIONS
from cobioe_cms.search.registry import SearchDocument, bilingual_text, folded_text, register

from .models import InterestProfile, WatchItem

ITEMS_INDEX = "watch_items"
PROFILES_INDEX = "watch_profiles"
ITEM_RELATIONS = (*TOPIC_RELATIONS, "actors")
PROFILE_RELATIONS = (*TOPIC_RELATIONS, "followed_actors")
KEYWORDS_EXACT = "keywords_text.exact"
KEYWORDS_TRIGRAMS = "keywords_text.trigrams"

# Every character counts (spaces too: "cell therapy" is one keyword), nothing is
# lower-cased or dropped: the text and the keywords are folded already.
TRIGRAM = 3
TRIGRAMS = analyzer(
    "keyword_trigrams",
    tokenizer=tokenizer("keyword_trigram", "ngram", min_gram=TRIGRAM, max_gram=TRIGRAM),
)
INDEX_SETTINGS = {"analysis": TRIGRAMS.get_analysis_definition()}

# Lucene refuses a keyword term over 32,766 bytes, and folded text may take up to four
# bytes a character. Ingestion keeps an item's text far below this, but longer text is
# cut into overlapping pieces: any substring up to PIECE_OVERLAP characters long (a
# keyword is at most 100) lies whole in one piece, so ``*word*`` still finds it.
PIECE_LENGTH = 8_000
PIECE_OVERLAP = 2_000


class WatchItemDocument(Document):
    """Mapping only; documents are written by ``cobioe_cms.search.indexes``."""

    title = bilingual_text()
    summary = bilingual_text()
    # ``WatchItem.keywords_text``, matched as the database's ``contains`` (see
    # :func:`contains`) through ``.trigrams`` and ``.exact`` (kept whole); the
    # language sub-fields serve ranked full text ("evry" finds "Évry").
    keywords_text = folded_text(trigrams=Text(analyzer=TRIGRAMS))
    source = Integer()
    language = Keyword()
    published_at = Date()
    fetched_at = Date()
    stages = Integer(multi=True)
    modalities = Integer(multi=True)
    therapeutic_areas = Integer(multi=True)
    actors = Integer(multi=True)
    countries = Keyword(multi=True)
    duplicate_of = Integer()
    is_duplicate = Boolean()


class ProfileQueryDocument(WatchItemDocument):
    """A profile's stored query (the item fields above are inherited for its mapping)."""

    query = Percolator()
    user = Integer()


def keyword_pieces(text: str) -> list[str]:
    """``text`` whole, or in overlapping pieces when too long for one keyword term."""
    if len(text) <= PIECE_LENGTH:
        return [text]
    step = PIECE_LENGTH - PIECE_OVERLAP
    return [
        text[start : start + PIECE_LENGTH] for start in range(0, len(text) - PIECE_OVERLAP, step)
    ]


def items_to_index():
    """Every item, with what :func:`serialize_item` reads prefetched."""
    return WatchItem.objects.prefetch_related(*ITEM_RELATIONS).order_by("pk")


def serialize_item(item: WatchItem) -> dict[str, Any]:
    """An item's document; also the document percolated against the profiles."""
    body: dict[str, Any] = {
        "title": item.title,
        "summary": item.summary,
        "source": item.source_id,
        "language": item.language or None,
        "published_at": item.published_at.isoformat(),
        "fetched_at": item.fetched_at.isoformat() if item.fetched_at else None,
        "countries": sorted(country.code for country in item.countries),
        "duplicate_of": item.duplicate_of_id,
        "is_duplicate": item.duplicate_of_id is not None,
    }
    if item.keywords_text:
        pieces = keyword_pieces(item.keywords_text)
        body["keywords_text"] = pieces[0] if len(pieces) == 1 else pieces
    for relation in ITEM_RELATIONS:
        body[relation] = sorted(term.pk for term in getattr(item, relation).all())
    return {key: value for key, value in body.items() if value is not None}


def contains(word: str) -> Q:
    """``keywords_text__contains=word`` for a folded word: the phrase of its trigrams,
    or below three characters a wildcard (a folded word holds letters, digits, ``_``
    and single spaces: nothing a wildcard pattern would read as an operator)."""
    if len(word) >= TRIGRAM:
        return Q("match_phrase", **{KEYWORDS_TRIGRAMS: word})
    return Q("wildcard", **{KEYWORDS_EXACT: {"value": f"*{word}*"}})


def profile_query(profile: InterestProfile) -> Q | None:
    """The items ``profile`` matches, as :class:`.matching.DatabaseMatcher` defines it:
    at least one interest (any term of a relation, any whole country code, any folded
    keyword as a substring of ``keywords_text``, any followed actor) and no excluded
    word in ``keywords_text``. None for a profile without interests, which matches
    nothing (and is not stored in the percolator index).

    Duplicates and the member's "not relevant" items are left to the caller: the
    database's batch matching does not filter them either.
    """
    interests: list[Q] = []
    for relation in TOPIC_RELATIONS:
        ids = sorted(term.pk for term in getattr(profile, relation).all())
        if ids:
            interests.append(Q("terms", **{relation: ids}))
    countries = sorted({str(code) for code in profile.countries})
    if countries:
        interests.append(Q("terms", countries=countries))
    keywords = sorted({fold(word) for word in profile.keyword_list()} - {""})
    interests.extend(contains(word) for word in keywords)
    actor_ids = sorted(actor.pk for actor in profile.followed_actors.all())
    if actor_ids:
        interests.append(Q("terms", actors=actor_ids))
    if not interests:
        return None
    excluded = sorted({fold(word) for word in profile.excluded_list()} - {""})
    return Q(
        "bool",
        should=interests,
        minimum_should_match=1,
        must_not=[contains(word) for word in excluded],
    )


def profiles_to_index():
    return InterestProfile.objects.prefetch_related(*PROFILE_RELATIONS).order_by("pk")


def has_interests(profile: InterestProfile) -> bool:
    return profile_query(profile) is not None


def serialize_profile(profile: InterestProfile) -> dict[str, Any]:
    query = profile_query(profile)
    if query is None:  # should_index keeps these out; never store a match-all
        raise ValueError(f"interest profile {profile.pk} has no interests")
    return {"query": query.to_dict(), "user": profile.user_id}


WATCH_ITEMS = register(
    SearchDocument(
        name=ITEMS_INDEX,
        document=WatchItemDocument,
        serialize=serialize_item,
        queryset=items_to_index,
        settings=INDEX_SETTINGS,
    )
)
WATCH_PROFILES = register(
    SearchDocument(
        name=PROFILES_INDEX,
        document=ProfileQueryDocument,
        serialize=serialize_profile,
        queryset=profiles_to_index,
        should_index=has_interests,
        settings=INDEX_SETTINGS,
    )
)
