"""Finding organisations by text: the one builder behind the site search's
organisations, the cartography's text query, the claim form's suggestions and saved
searches, on the database and (:mod:`.search_queries`) on the search cluster.

A query is understood by :mod:`cobioe_cms.core.analysis` (folding, stop words, English
and French stems, the sector's synonyms); every concept must be found in a profile's
``search_text``. The rank of a profile is the sum, over the concepts, of where each is
found: in its name (:data:`IN_NAME`), else in its taxonomy terms and keywords
(:data:`IN_TERMS`), else in its other text (:data:`IN_TEXT`); ties in name order. The
cluster computes the same score with ``constant_score`` clauses, so both backends rank
alike.

A query that finds nothing is retried once with its typos corrected
(:func:`correct_query`), against the words of the profiles' names and places, the
taxonomies and the synonyms (:func:`actor_vocabulary`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from django.db import connection
from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from cobioe_cms.core.analysis import (
    Concept,
    UnderstoodQuery,
    corrected_query,
    phrase_pairs,
    understand,
    vocabulary_of,
)
from cobioe_cms.core.countries import EUROPE
from cobioe_cms.core.models import TAXONOMIES, SearchSynonym, synonym_groups

from .models.actor_page import ActorPage
from .models.search_text import country_names
from .models.search_tokens import ActorSearchToken

IN_NAME, IN_TERMS, IN_TEXT = 3, 2, 1
TEXT_FIELD, NAME_FIELD, TERMS_FIELD = "search_text", "search_name", "search_terms"


def understand_query(text: str) -> UnderstoodQuery:
    """``text`` understood with the synonym groups editors keep (one query)."""
    return understand(text, synonym_groups())


# -- the database's conditions ---------------------------------------------------------
#
# Each concept is looked up in the token table (:class:`.models.ActorSearchToken`,
# indexed by token): exact tokens with ``IN``, a typed word's beginning as an index
# range (SQLite, whose binary collation orders tokens by code point) or ``LIKE 'p%'``
# (PostgreSQL, served by the index's pattern operator class). ``field`` narrows the
# rows to the tokens of the name or of the taxonomy terms, for the rank.


def _prefix_condition(prefix: str) -> tuple[str, list[str]]:
    token = connection.ops.quote_name("token")
    if connection.vendor == "postgresql":
        return f"{token} LIKE %s", [connection.ops.prep_for_like_query(prefix) + "%"]
    return f"({token} >= %s AND {token} < %s)", [prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)]


def _holders(field: str, tokens=(), prefixes=()) -> RawSQL:
    """Ids of the profiles holding one of ``tokens`` or a token beginning with one of
    ``prefixes`` in ``field`` (a subquery, written as SQL: a query has up to a few
    dozen of them, and the ORM took longer to build them than the database to run
    them, ``tests/perf/bench_search.py``)."""
    quote = connection.ops.quote_name
    # A token a prefix already covers is left out: one index range instead of a range
    # OR'ed with a lookup, which PostgreSQL answers from the index alone.
    tokens = sorted(t for t in tokens if not any(t.startswith(p) for p in prefixes))
    parts: list[str] = []
    params: list[str] = []
    if tokens:
        parts.append(f"{quote('token')} IN ({', '.join(['%s'] * len(tokens))})")
        params.extend(tokens)
    for prefix in sorted(prefixes):
        sql, prefix_params = _prefix_condition(prefix)
        parts.append(sql)
        params.extend(prefix_params)
    where = " OR ".join(parts) if parts else "1 = 0"
    if field == NAME_FIELD:
        where = f"({where}) AND {quote('in_name')}"
    elif field == TERMS_FIELD:
        where = f"({where}) AND {quote('in_terms')}"
    table = quote(ActorSearchToken._meta.db_table)
    # Only quoted names and placeholders are written into the SQL; every value typed is
    # a parameter.
    sql = f"SELECT {quote('actor_id')} FROM {table} WHERE {where}"  # noqa: S608
    return RawSQL(sql, params)  # noqa: S611


def concept_condition(concept: Concept, field: str = TEXT_FIELD) -> Q:
    """Profiles whose ``field`` holds one of the concept's alternatives: a word (one
    of its stems, or for a word typed, a token it begins), or an expression as a phrase
    (every pair token of its adjacent words: :func:`~cobioe_cms.core.analysis.phrase_pairs`).
    Words and two-word expressions are one lookup together; longer ones one per pair."""
    tokens: set[str] = set()
    prefixes: set[str] = set()
    phrases: list[list[tuple[str, ...]]] = []
    for alternative in concept.alternatives:
        if len(alternative) == 1:
            word = alternative[0]
            tokens.update(word.exact_tokens())
            if word.prefix_token():
                prefixes.add(word.prefix_token())
        else:
            pairs = phrase_pairs(alternative)
            if len(pairs) == 1:
                tokens.update(pairs[0])
            else:
                phrases.append(pairs)
    condition = Q(pk__in=_holders(field, tokens, prefixes)) if tokens or prefixes else Q()
    for pairs in phrases:
        every_pair = Q()
        for pair in pairs:
            every_pair &= Q(pk__in=_holders(field, pair))
        condition = every_pair if not condition else condition | every_pair
    return condition


def alternative_condition(alternative, field: str = TEXT_FIELD) -> Q:
    """One alternative alone (the phrase of a whole query, for the rank)."""
    return concept_condition(Concept("", (tuple(alternative),)), field)


def text_condition(query: UnderstoodQuery) -> Q:
    """Profiles that hold every concept of ``query`` (everything for an empty query)."""
    condition = Q()
    for concept in query.concepts:
        condition &= concept_condition(concept)
    return condition


def relevance(query: UnderstoodQuery):
    """The rank of a profile for ``query`` (an SQL expression; see the module)."""
    score = Value(0, output_field=IntegerField())
    for concept in query.concepts:
        score = score + Case(
            When(concept_condition(concept, NAME_FIELD), then=Value(IN_NAME)),
            When(concept_condition(concept, TERMS_FIELD), then=Value(IN_TERMS)),
            default=Value(IN_TEXT),
            output_field=IntegerField(),
        )
    if query.phrase:
        # Every word typed, in order ("commercial scale"): the label itself first.
        score = score + Case(
            When(alternative_condition(query.phrase, NAME_FIELD), then=Value(IN_NAME)),
            When(alternative_condition(query.phrase, TERMS_FIELD), then=Value(IN_TERMS)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return score


def matching(actors: QuerySet[ActorPage], query: UnderstoodQuery) -> QuerySet[ActorPage]:
    return actors.filter(text_condition(query)) if query else actors


def ranked(actors: QuerySet[ActorPage], query: UnderstoodQuery) -> QuerySet[ActorPage]:
    """The profiles of ``actors`` matching ``query``, best first."""
    return (
        matching(actors, query)
        .annotate(relevance=relevance(query))
        .order_by("-relevance", "title", "pk")
    )


# -- typos -----------------------------------------------------------------------------

_vocabulary_lock = threading.Lock()
_profile_words: dict[str, object] = {"key": None, "words": {}}


def _profiles_key() -> tuple:
    """Changes whenever a published profile's name or place may have (one aggregate:
    a publication, an unpublication, a deletion or a new profile changes it)."""
    actors = ActorPage.objects.live().aggregate(
        n=Count("pk"), last=Max("last_published_at"), top=Coalesce(Max("pk"), 0)
    )
    return (actors["n"], actors["last"], actors["top"])


def _profiles_vocabulary(key=None) -> dict[str, int]:
    """Words of the published profiles' names, acronyms and cities, kept per process
    while :func:`_profiles_key` stays the same (reading them takes ~50 ms at 10,000)."""
    key = _profiles_key() if key is None else key
    with _vocabulary_lock:
        if _profile_words["key"] == key:
            return _profile_words["words"]  # type: ignore[return-value]
    texts: list[str] = []
    for row in ActorPage.objects.live().public().values_list("title", "acronym", "city"):
        texts.extend(row)
    words = vocabulary_of(texts)
    with _vocabulary_lock:
        _profile_words.update(key=key, words=words)
    return words


def actor_vocabulary() -> Mapping[str, int]:
    """Known words -> how many texts hold them: published profiles' names, acronyms and
    cities, every taxonomy label and keyword, every synonym, Europe's country names.
    Asked for only when a query found nothing. The taxonomies and synonyms (a few
    hundred rows) are read every time, so an editor's new keyword or synonym can
    correct a typo at once; their words are counted again only when they change."""
    taxonomy_rows = tuple(
        row
        for model in TAXONOMIES.values()
        for row in model.objects.values_list("name", "name_fr", "keywords")
    )
    synonym_rows = tuple(SearchSynonym.objects.values_list("name", "expressions", "one_way"))
    profiles_key = _profiles_key()
    return _merged_vocabulary(profiles_key, taxonomy_rows, synonym_rows)


@lru_cache(maxsize=4)
def _merged_vocabulary(profiles_key, taxonomy_rows, synonym_rows) -> Mapping[str, int]:
    texts: list[str] = []
    for name, name_fr, keywords in taxonomy_rows:
        texts.extend([name, name_fr, *keywords.splitlines()])
    for name, expressions, _one_way in synonym_rows:
        texts.extend(SearchSynonym(name=name, expressions=expressions).expression_list())
    for code in EUROPE:
        texts.extend(country_names(code))
    words = dict(_profiles_vocabulary(profiles_key))
    for word, count in vocabulary_of(texts).items():
        words[word] = words.get(word, 0) + count
    return MappingProxyType(words)


def correct_query(text: str) -> str | None:
    """``text`` with its unknown words replaced by the nearest known ones, or None."""
    return corrected_query(text, actor_vocabulary())


@dataclass(frozen=True)
class ActorQuery:
    """A text query for organisations: what was typed, what is searched (``text``,
    corrected when ``corrected_from`` is set) and how it is understood."""

    typed: str
    text: str
    understood: UnderstoodQuery
    corrected_from: str | None = None


def parse_actor_query(text: str, finds_any: Callable[[UnderstoodQuery], bool]) -> ActorQuery:
    """``text`` understood, or its typos corrected when it finds nothing and the
    corrected one finds something (``finds_any`` asks the backend)."""
    understood = understand_query(text)
    if not understood or finds_any(understood):
        return ActorQuery(text, text, understood)
    corrected = correct_query(text)
    if corrected:
        understood_corrected = understand_query(corrected)
        if understood_corrected and finds_any(understood_corrected):
            return ActorQuery(text, corrected, understood_corrected, corrected_from=text)
    return ActorQuery(text, text, understood)
