"""Pages found by the site's one understanding of a query, on the database and on the
cluster (the site search's news and pages sections).

A query is understood by :mod:`cobioe_cms.core.analysis`: a list of *concepts*, every
one of which must be found; a concept is found when one of its *alternatives* (the word
typed, or each expression of a synonym group: "mAb" = "monoclonal antibody" =
"anticorps monoclonal", an expression of several words being found as a phrase) is.

- **Database**: a page's searchable text (its Wagtail ``search_fields``) is analysed
  into token strings (:func:`~cobioe_cms.core.analysis.token_string`: folded, stop
  words dropped, English and French stems) matched with ``LIKE '% stem %'``, which
  SQLite and PostgreSQL answer alike. Wagtail's database backend cannot be asked the
  same question: on SQLite (FTS5, ``unicode61``) it ignores accents but does not stem,
  and matches prefixes only in autocomplete; on PostgreSQL (``to_tsvector`` with the
  server's text search configuration) it stems English only and keeps accents.
- **Cluster**: the same concepts as a Wagtail query, ``And`` of one ``Or`` per concept
  of one ``PlainText`` (a word) or ``Phrase`` (an expression) per alternative, which
  :mod:`.wagtail_backend` matches in each text field's English, French and folded
  sub-fields.

Whenever the cluster cannot answer, the database's answer is given instead
(``answered_by`` says which did).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Manager, Q
from wagtail.search import index
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Or, Phrase, PlainText, SearchQuery

from cobioe_cms.core.analysis import (
    Concept,
    UnderstoodQuery,
    Word,
    concept_in_tokens,
    phrase_pairs,
    token_string,
)

from .wagtail_backend import DatabaseFallbackBackendMixin

# -- the text a page is found by ---------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return " ".join(_text(item) for item in value.values())
    return str(value)


def _values(obj: Any, field: Any) -> Iterable[tuple[str, str]]:
    """(field name, text) of one of ``obj``'s search fields, as Wagtail's backends read
    them (a StreamField's searchable content, related objects' fields)."""
    if isinstance(field, index.SearchField):
        yield field.field_name, _text(field.get_value(obj))
    elif isinstance(field, index.RelatedFields):
        related = field.get_value(obj)
        if related is None:
            return
        if isinstance(related, Manager):
            related = list(related.all())
        elif callable(related):
            related = [related()]
        else:
            related = [related]
        for item in related:
            for sub_field in field.fields:
                for _name, text in _values(item, sub_field):
                    yield field.field_name, text


def search_tokens(obj: Any) -> tuple[str, str]:
    """(title, all) token strings of the text Wagtail's ``search_fields`` give ``obj``."""
    titles, texts = [], []
    for field in obj.get_search_fields():
        for name, text in _values(obj, field):
            (titles if name == "title" else texts).append(text)
    return token_string(titles), token_string([*titles, *texts])


# The analysed text of pages without a token column, per process: a page's text changes
# only when it is published (or its revision saved), which changes the key.
_page_tokens: dict[tuple, tuple[str, str]] = {}
MAX_CACHED_PAGES = 10_000
_KEY_FIELDS = ("pk", "last_published_at", "latest_revision_id")


def _key(page: Any) -> tuple:
    return tuple(getattr(page, name, None) for name in _KEY_FIELDS)


def _remember(key: tuple, tokens: tuple[str, str]) -> tuple[str, str]:
    if len(_page_tokens) >= MAX_CACHED_PAGES:
        _page_tokens.clear()
    _page_tokens[key] = tokens
    return tokens


def _cached_tokens(page: Any) -> tuple[str, str]:
    key = _key(page)
    found = _page_tokens.get(key)
    return found if found is not None else _remember(key, search_tokens(page))


# -- the database's conditions -----------------------------------------------------------


def _word_condition(word: Word, field: str) -> Q:
    condition = Q()
    for stem in word.exact_tokens():
        condition |= Q(**{f"{field}__contains": f" {stem} "})
    prefix = word.prefix_token()
    if prefix:
        condition |= Q(**{f"{field}__contains": f" {prefix}"})
    return condition


def _alternative_condition(alternative: tuple[Word, ...], field: str) -> Q:
    """One word, or an expression as a phrase: the pair tokens of each two adjacent
    words (:func:`~cobioe_cms.core.analysis.phrase_pairs`), as
    :func:`~cobioe_cms.core.analysis.concept_in_tokens` tests it."""
    if len(alternative) == 1:
        return _word_condition(alternative[0], field)
    condition = Q()
    for pair in phrase_pairs(alternative):
        any_token = Q()
        for token in pair:
            any_token |= Q(**{f"{field}__contains": f" {token} "})
        condition &= any_token
    return condition


def concept_condition(concept: Concept, field: str) -> Q:
    """Rows whose token string ``field`` holds one of the concept's alternatives."""
    condition = Q()
    for alternative in concept.alternatives:
        condition |= _alternative_condition(alternative, field)
    return condition


def token_condition(query: UnderstoodQuery, field: str) -> Q:
    """Rows whose token string ``field`` holds every concept of ``query``."""
    condition = Q()
    for concept in query.concepts:
        condition &= concept_condition(concept, field)
    return condition


def matching_pages(pages: Any, query: UnderstoodQuery) -> list[Any]:
    """The pages holding every concept of ``query``, analysed one by one (for page
    types with no token column): those whose title holds more concepts first, then by
    title. ``pages``: a QuerySet (its pages' keys are read first, and only the pages not
    analysed yet, then those found, are read whole) or any iterable of pages."""
    if not query:
        return []
    if not hasattr(pages, "values_list"):
        return _ranked_pages([(page, _cached_tokens(page)) for page in pages], query)
    known = {key: _page_tokens.get(key) for key in pages.values_list(*_KEY_FIELDS)}
    missing = [key[0] for key, tokens in known.items() if tokens is None]
    if missing:
        for page in pages.filter(pk__in=missing):
            known[_key(page)] = _cached_tokens(page)
    found = [
        (key[0], tokens)
        for key, tokens in known.items()
        if tokens is not None and _holds(tokens[1], query)
    ]
    if not found:
        return []
    by_id = pages.in_bulk([pk for pk, _tokens in found])
    return _ranked_pages([(by_id[pk], tokens) for pk, tokens in found if pk in by_id], query)


def _holds(text: str, query: UnderstoodQuery) -> bool:
    return all(concept_in_tokens(concept, text) for concept in query.concepts)


def _ranked_pages(pages: list[tuple[Any, tuple[str, str]]], query: UnderstoodQuery) -> list[Any]:
    found = []
    for page, (title, text) in pages:
        if _holds(text, query):
            in_title = sum(concept_in_tokens(concept, title) for concept in query.concepts)
            found.append((-in_title, page.title.casefold(), page.pk, page))
    return [page for *_key, page in sorted(found, key=lambda item: item[:3])]


class RankedIds:
    """A ranked QuerySet read in one scan: the count reads every matching id, best first
    (the database compares every row's text to rank it anyway), and a slice reads its
    rows by primary key from ``rows``. A QuerySet would scan the texts twice, once to
    count (``COUNT(*)``) and once for the page (``LIMIT``)."""

    def __init__(self, ranked, rows) -> None:
        self.ranked = ranked
        self.rows = rows
        self._ids: list[int] | None = None

    def _all_ids(self) -> list[int]:
        if self._ids is None:
            self._ids = list(self.ranked.values_list("pk", flat=True))
        return self._ids

    def count(self) -> int:
        return len(self._all_ids())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: Any) -> list[Any]:
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = self._all_ids()[index]
        by_id = self.rows.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]


# -- the cluster's query -----------------------------------------------------------------


def _wagtail_alternative(alternative: tuple[Word, ...]) -> SearchQuery:
    text = " ".join(word.text for word in alternative)
    return Phrase(text) if len(alternative) > 1 else PlainText(text)


def wagtail_query(query: UnderstoodQuery) -> SearchQuery:
    """``query`` as a Wagtail search query: every concept, each one of its alternatives
    (a word, or an expression as a phrase)."""
    return And(
        [
            Or([_wagtail_alternative(alternative) for alternative in concept.alternatives])
            for concept in query.concepts
        ]
    )


def cluster_search(queryset, query: UnderstoodQuery, size: int):
    """What :func:`understood_search` asks the cluster, as one search of a ``_msearch``:
    (index, body, the primary key of a hit), the body asking for the exact total and the
    first ``size`` primary keys, best first; None when no cluster backend is configured
    or there is nothing to ask."""
    if not query:
        return None
    backend = get_search_backend()
    if not isinstance(backend, DatabaseFallbackBackendMixin):
        return None
    results = backend.search(wagtail_query(query), queryset)
    # The body Wagtail's own search sends (query and sort), with its count's total.
    body = {
        **results._get_es_body(),
        "_source": False,
        results.fields_param_name: "pk",
        "from": 0,
        "size": size,
        "track_total_hits": True,
    }
    index = backend.get_index_for_model(queryset.model).name
    return index, body, _wagtail_pk


def _wagtail_pk(hit: dict[str, Any]) -> int:
    return int(hit["fields"]["pk"][0])


def understood_search(queryset, query: UnderstoodQuery, database: Callable[[], Any]):
    """``queryset`` searched for ``query``: by the cluster (Wagtail's cluster backend)
    when one is configured, with ``database()`` answering whenever it cannot; by
    ``database()`` otherwise. ``database()`` returns a QuerySet or a list, best first."""
    if not query:
        return []
    backend = get_search_backend()
    if not isinstance(backend, DatabaseFallbackBackendMixin):
        return database()
    return backend.search(wagtail_query(query), queryset).with_database_answer(database)
