"""The cartography's filters answered by the search cluster, with the semantics of
:class:`.filters.ActorFilter` (the database builder): values ORed within a facet,
facets ANDed, and each facet counted with every *other* active filter.

Text query: the concepts of :mod:`.text_search`, on the same token strings the database
matches: a stem is a ``term`` query, a typed word's beginning a ``prefix`` query, and
the rank (:func:`cluster_ranked_ids`) the same sum of ``constant_score`` clauses
(name 3, taxonomy terms 2, other text 1) as the database's ``relevance``.

The directory (:func:`cluster_directory`) asks for its total, its facet counts and
the ids of one page, in the requested order, in a single request; the database then
loads only that page. The order is the database's (:data:`CLUSTER_SORTS`), as long as
the database compares text by code point (:func:`database_sorts_like_cluster`) and the
page lies within the cluster's result window (:data:`MAX_RESULT_WINDOW`).

Bodies are built with elasticsearch-dsl and sent with the opensearch-py client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections
from elasticsearch_dsl import A, Q, Search
from wagtail.models import Page

from cobioe_cms.core.analysis import Concept, UnderstoodQuery, Word, phrase_pairs
from cobioe_cms.search.client import get_client, helpers
from cobioe_cms.search.indexes import SearchNotConfigured, alias_name

from .filters import FACETS, ActorFilter, Facet
from .search_documents import INDEX_NAME
from .text_search import IN_NAME, IN_TERMS, IN_TEXT, NAME_FIELD, TERMS_FIELD, TEXT_FIELD

# Larger than any taxonomy (and than the ~40 European countries): no bucket is cut off.
TERMS_SIZE = 500
DOCUMENT_FIELD = {"gmp_status": "gmp"}
# ``from + size`` may not exceed the index setting ``index.max_result_window``, whose
# default (10,000, in OpenSearch and Elasticsearch) the actors' index keeps.
MAX_RESULT_WINDOW = 10_000
# ``filters.SORTS`` field by field. A keyword field missing from a document is a blank
# value in the database ("" sorts first); the nullable dates put NULLs last, as the
# database orders them (``nulls_last=True``).
CLUSTER_SORTS: dict[str, list[dict[str, Any]]] = {
    # The score of :func:`ranking_query` (added to the query by the directory).
    "relevance": [{"_score": "desc"}, {"sort_title": "asc"}, {"pk": "asc"}],
    "name": [{"sort_title": "asc"}, {"pk": "asc"}],
    "country": [
        {"country": {"order": "asc", "missing": "_first"}},
        {"sort_title": "asc"},
        {"pk": "asc"},
    ],
    "recent": [{"first_published_at": {"order": "desc", "missing": "_last"}}, {"pk": "asc"}],
    "reviewed": [
        {"last_reviewed": {"order": "desc", "missing": "_last"}},
        {"sort_title": "asc"},
        {"pk": "asc"},
    ],
}


def document_field(facet: Facet) -> str:
    return DOCUMENT_FIELD.get(facet.field, facet.field)


def _client():
    client = get_client()
    if client is None:
        raise SearchNotConfigured("no search cluster configured")
    return client


def _scope(within: Page | None, *, descendants: bool = False) -> list[Q]:
    """Indexed actors are live and public; ``within`` narrows to one page's children
    (``ActorPage.objects.child_of(within)``), or with ``descendants`` to everything
    under it (``descendant_of``)."""
    filters = [Q("term", public=True)]
    if within is not None:
        filters.append(Q("prefix", path=within.path))
        if not descendants:
            filters.append(Q("term", depth=within.depth + 1))
    return filters


def _base_filters(actor_filter: ActorFilter, within: Page | None) -> list[Q]:
    """Scope, text and ``verified``: the filters every facet count shares."""
    filters = _scope(within)
    filters.extend(concept_query(c) for c in actor_filter.text_query.understood.concepts)
    if actor_filter.verified_only:
        filters.append(Q("term", verified=True))
    return filters


def _facet_filters(actor_filter: ActorFilter, exclude: str | None = None) -> list[Q]:
    return [
        Q("terms", **{document_field(facet): actor_filter.selected[facet.key]})
        for facet in FACETS
        if actor_filter.selected[facet.key] and facet.key != exclude
    ]


def build_facet_search(actor_filter: ActorFilter, within: Page | None = None) -> Search:
    """One request for every facet: the query holds the shared filters, and each facet
    has a ``filter`` aggregation with the other facets' filters around a ``terms``."""
    search = Search().query(Q("bool", filter=_base_filters(actor_filter, within)))
    search = search.extra(size=0)
    for facet in FACETS:
        others = _facet_filters(actor_filter, exclude=facet.key)
        aggregation = A("filter", filter=Q("bool", filter=others))
        aggregation.bucket("values", "terms", field=document_field(facet), size=TERMS_SIZE)
        search.aggs.bucket(facet.key, aggregation)
    return search


def build_matching_search(actor_filter: ActorFilter, within: Page | None = None) -> Search:
    filters = _base_filters(actor_filter, within) + _facet_filters(actor_filter)
    return Search().query(Q("bool", filter=filters)).source(False)


def build_directory_search(
    actor_filter: ActorFilter,
    within: Page | None = None,
    *,
    offset: int = 0,
    size: int = 0,
    facets: bool = True,
) -> Search:
    """The directory in one request: the facet aggregations of
    :func:`build_facet_search` (or none), the exact total, and ``size`` ids from
    ``offset`` in the order of ``actor_filter.sort``. The facet filters go in a
    ``post_filter``, which narrows the hits but not the aggregations (each of which
    applies the *other* facets' filters itself)."""
    if facets:
        search = build_facet_search(actor_filter, within)
    else:
        search = Search().query(Q("bool", filter=_base_filters(actor_filter, within)))
    selected = _facet_filters(actor_filter)
    if selected:
        search = search.post_filter(Q("bool", filter=selected))
    if actor_filter.sort == "relevance":
        search = search.query(ranking_query(actor_filter.text_query.understood))
    search = search.sort(*CLUSTER_SORTS[actor_filter.sort]).source(False)
    return search.extra(from_=offset, size=size, track_total_hits=True)


@dataclass(frozen=True)
class DirectoryHits:
    total: int
    ids: list[int]  # the requested slice, in order
    counts: dict[str, dict[str, int]] | None  # None when not asked for


def _search(search: Search) -> dict[str, Any]:
    return _client().search(index=alias_name(INDEX_NAME), body=search.to_dict())


def _counts(aggregations: dict[str, Any]) -> dict[str, dict[str, int]]:
    return {
        facet.key: {
            bucket["key"]: bucket["doc_count"]
            for bucket in aggregations[facet.key]["values"]["buckets"]
        }
        for facet in FACETS
    }


def cluster_directory(
    actor_filter: ActorFilter,
    within: Page | None = None,
    *,
    offset: int = 0,
    size: int = 0,
    facets: bool = True,
) -> DirectoryHits:
    """Total, page ids and (if ``facets``) facet counts of the filtered actors.

    Raises ``ValueError`` for a slice beyond :data:`MAX_RESULT_WINDOW`: the cluster would
    refuse it, and that refusal must not count as a cluster fault.
    """
    if offset < 0 or size < 0 or (size and offset + size > MAX_RESULT_WINDOW):
        raise ValueError(f"slice {offset}+{size} outside the result window")
    search = build_directory_search(actor_filter, within, offset=offset, size=size, facets=facets)
    response = _search(search)
    return DirectoryHits(
        total=response["hits"]["total"]["value"],
        ids=[int(hit["_id"]) for hit in response["hits"]["hits"]],
        counts=_counts(response["aggregations"]) if facets else None,
    )


def cluster_facet_counts(
    actor_filter: ActorFilter, within: Page | None = None
) -> dict[str, dict[str, int]]:
    """``{facet key: {value: count}}``, non-zero counts only (as the cluster reports)."""
    return _counts(_search(build_facet_search(actor_filter, within))["aggregations"])


def cluster_matching_ids(actor_filter: ActorFilter, within: Page | None = None) -> set[int]:
    """Primary keys of every actor the filter matches (unordered)."""
    body = build_matching_search(actor_filter, within).to_dict()
    hits = helpers().scan(_client(), index=alias_name(INDEX_NAME), query=body, size=1000)
    return {int(hit["_id"]) for hit in hits}


def _word_query(field: str, word: Word) -> Q:
    clauses = [Q("term", **{field: stem}) for stem in word.exact_tokens()]
    prefix = word.prefix_token()
    if prefix:
        clauses.append(Q("prefix", **{field: prefix}))
    return Q("bool", should=clauses, minimum_should_match=1)


def alternative_query(alternative, field: str = TEXT_FIELD) -> Q:
    """:func:`.text_search.alternative_condition` for the cluster."""
    if len(alternative) == 1:
        return _word_query(field, alternative[0])
    return Q(
        "bool",
        filter=[
            Q(
                "bool",
                should=[Q("term", **{field: token}) for token in pair],
                minimum_should_match=1,
            )
            for pair in phrase_pairs(alternative)
        ],
    )


def concept_query(concept: Concept, field: str = TEXT_FIELD) -> Q:
    """:func:`.text_search.concept_condition` for the cluster."""
    alternatives = [alternative_query(a, field) for a in concept.alternatives]
    return Q("bool", should=alternatives, minimum_should_match=1)


def _scored_concept(concept: Concept) -> Q:
    """IN_NAME, IN_TERMS or IN_TEXT: the best field holding the concept."""
    return Q(
        "dis_max",
        queries=[
            Q("constant_score", filter=concept_query(concept, field), boost=boost)
            for field, boost in (
                (NAME_FIELD, IN_NAME),
                (TERMS_FIELD, IN_TERMS),
                (TEXT_FIELD, IN_TEXT),
            )
        ],
    )


def ranking_query(query: UnderstoodQuery) -> Q:
    """Every concept, scored as :func:`.text_search.relevance` scores it (a profile
    without the phrase still matches; the phrase only adds to its score)."""
    scored = [_scored_concept(c) for c in query.concepts]
    if not query.phrase:
        return Q("bool", must=scored)
    phrase = Q(
        "dis_max",
        queries=[
            Q("constant_score", filter=alternative_query(query.phrase, field), boost=boost)
            for field, boost in ((NAME_FIELD, IN_NAME), (TERMS_FIELD, IN_TERMS))
        ],
    )
    return Q("bool", must=scored, should=[phrase])


def build_ranked_search(query: UnderstoodQuery, under: Page | None = None) -> Search:
    """Profiles under ``under`` matching every concept, ranked as
    :func:`.text_search.ranked` ranks them (score, then title by code point, then pk)."""
    scope = _scope(under, descendants=True)
    search = Search().query(Q("bool", must=[ranking_query(query)], filter=scope))
    return search.sort(*CLUSTER_SORTS["relevance"]).source(False)


def cluster_ranked_ids(
    query: UnderstoodQuery, under: Page | None = None, *, offset: int = 0, size: int = 20
) -> tuple[int, list[int]]:
    """(total, ids from ``offset``) of the profiles matching ``query``, best first."""
    if offset < 0 or size < 0 or offset + size > MAX_RESULT_WINDOW:
        raise ValueError(f"slice {offset}+{size} outside the result window")
    search = build_ranked_search(query, under).extra(from_=offset, size=size, track_total_hits=True)
    response = _search(search)
    return (
        response["hits"]["total"]["value"],
        [int(hit["_id"]) for hit in response["hits"]["hits"]],
    )


# Strings whose code point order differs from a case-insensitive or accent-folding
# collation's: ["B", "Z", "a", "b", "É"] sorted by code point.
_COLLATION_PROBE = ("b", "É", "a", "Z", "B")
_collation_checked: dict[tuple[str, ...], bool] = {}


def database_sorts_like_cluster(using: str = "default") -> bool:
    """Does the database order text as the cluster's keyword sort does (by code point)?

    SQLite does (its BINARY collation), and so does PostgreSQL with the C or C.UTF-8
    collation (CI, ``.ci/run``). A PostgreSQL database created with a linguistic
    collation (say en_US.UTF-8) orders "évry" beside "Evry", where the cluster puts it
    after "Zeta": there the cluster still counts, but the database orders the page.
    Asked once per database and process (one small query).
    """
    connection = connections[using]
    key = (connection.vendor, *(str(connection.settings_dict.get(k)) for k in ("HOST", "NAME")))
    if key not in _collation_checked:
        # VARCHAR takes the database's default collation, as the ``title`` column does.
        rows = " UNION ALL ".join(
            ["SELECT CAST(%s AS VARCHAR(10)) AS word"] * len(_COLLATION_PROBE)
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word FROM ({rows}) probe ORDER BY word",  # noqa: S608 - no input
                _COLLATION_PROBE,
            )
            found = [row[0] for row in cursor.fetchall()]
        _collation_checked[key] = found == sorted(_COLLATION_PROBE)
    return _collation_checked[key]
