"""Wagtail search on the cluster, answered by the database whenever the cluster cannot.

``WAGTAILSEARCH_BACKENDS["default"]`` names one of the two backends below when
``COBIOE_SEARCH["URL"]`` is set (see the site's settings): ``OpenSearch2SearchBackend``
(OpenSearch 2.x) or ``Elasticsearch8SearchBackend``. A second entry, ``"database"``
(Wagtail's database backend), is kept up to date by Wagtail too, so it holds current data
when it has to answer.

Searches never fail a page. A search result set asks the cluster only when it is
evaluated (iterated, counted, faceted); that evaluation goes through
:func:`.service.answer`, so a cluster fault is logged, opens the circuit breaker
(``COBIOE_SEARCH["RETRY_AFTER"]``) and the same query (text, queryset filters, fields,
ordering, slice) is run on the database backend instead. While the breaker is open the
cluster is not asked at all. ``results.answered_by`` says which backend answered.

Index updates (Wagtail's signal handlers) also record the fault, then re-raise: Wagtail
logs and swallows errors of cluster backends (``catch_indexing_errors``), so the save
that triggered them succeeds, while ``manage.py update_index`` still fails loudly. After
an outage, ``update_index --backend default`` brings the cluster back in step.

Text fields get ``.en`` (English stemming), ``.fr`` (French stemming) and ``.folded``
(accents removed) sub-fields, and queries search them next to the plain field, so
"vaccines" finds "Vaccine" and "thérapies" finds "thérapie".
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from copy import deepcopy
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import models
from modelsearch.backends.elasticsearchbase import (
    ElasticsearchAutocompleteQueryCompilerImpl,
    Field,
)
from modelsearch.utils import deep_update
from wagtail.search.backends import (
    InvalidSearchBackendError,
    elasticsearch8,
    get_search_backend,
    opensearch2,
)
from wagtail.search.query import And, Or

from . import service
from .client import SEARCH_ERRORS

# Positions a phrase's words may stand apart: a stop word between them.
PHRASE_SLOP = 1
# Used when the FALLBACK option names no configured backend.
DATABASE_BACKEND = "wagtail.search.backends.database"

SUBFIELDS: dict[str, dict[str, str]] = {
    "en": {"type": "text", "analyzer": "english"},
    "fr": {"type": "text", "analyzer": "french"},
    "folded": {"type": "text", "analyzer": "cobioe_folded"},
}
# Values indexed as they are: what the clients' JSON encoders serialise, and the
# relations Wagtail's mapping reads further.
KEPT_TYPES = (
    str,
    int,
    float,
    bool,
    dict,
    datetime.date,
    datetime.time,
    uuid.UUID,
    Decimal,
    models.Model,
    models.Manager,
    models.QuerySet,
)
ANALYSIS_SETTINGS: dict[str, Any] = {
    "settings": {
        "analysis": {
            "analyzer": {
                "cobioe_folded": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["lowercase", "asciifolding"],
                }
            }
        }
    }
}


# -- mapping and queries: stemmed sub-fields --------------------------------------------


class LanguageMappingMixin:
    """Adds the language sub-fields to every analysed text field Wagtail maps
    (``title``, each ``SearchField``, ``_all_text`` and its boosted copies); fields
    with their own analyser (autocomplete's edge n-grams) are left as they are.

    Values the JSON encoder does not know (a ``django_countries`` ``Country`` in a
    ``FilterField``) are indexed, and filtered on, as their text (``"FR"``).
    """

    def get_mapping(self) -> dict[str, Any]:
        mapping = super().get_mapping()
        for properties in mapping["properties"].values():
            if properties.get("type") == "text" and "analyzer" not in properties:
                properties["fields"] = deepcopy(SUBFIELDS)
        return mapping

    def _clean_value(self, value: Any) -> Any:
        value = super()._clean_value(value)
        if isinstance(value, list | tuple):
            return [self._clean_value(item) for item in value]
        if value is None or isinstance(value, KEPT_TYPES):
            return value
        return str(value)


class LanguageQueryMixin:
    """Searches each field together with its language sub-fields (best field wins).

    In an ``And`` or ``Or`` query each part is matched in its own best field, as the
    database's analysed text matches it (:mod:`.understood_search`): "genopole
    facility" finds "Génopole facilities", "genopole" in the folded sub-field and
    "facility" in the English one, where Wagtail would ask one field for both.
    """

    def _join_and_compile_queries(self, query, fields, boost=1.0):
        if isinstance(query, And | Or) and len(fields) > 1:
            parts = [
                self._join_and_compile_queries(subquery, fields, boost)
                for subquery in query.subqueries
            ]
            if isinstance(query, And):
                return {"bool": {"must": parts}}
            return {"bool": {"should": parts, "minimum_should_match": 1}}
        return super()._join_and_compile_queries(query, fields, boost)

    def _compile_phrase_query(self, query, fields):
        # A stop word left out of the query ("fill and finish" is understood as "fill
        # finish") still leaves its place in the text: one position of slop.
        compiled = super()._compile_phrase_query(query, fields)
        if "multi_match" in compiled:
            compiled["multi_match"]["slop"] = PHRASE_SLOP
        else:
            ((field, value),) = compiled["match_phrase"].items()
            if not isinstance(value, dict):
                value = {"query": value}
            compiled["match_phrase"][field] = {**value, "slop": PHRASE_SLOP}
        return compiled

    def _remap_fields(self, fields: list[str] | None) -> list[Field]:
        remapped = super()._remap_fields(fields)
        return [
            variant
            for field in remapped
            for variant in (
                field,
                *(Field(f"{field.field_name}.{name}", field.boost) for name in SUBFIELDS),
            )
        ]


# -- results: the database answers when the cluster cannot ------------------------------


class DatabaseFallbackResultsMixin:
    """Evaluates through :func:`.service.answer`; records the backend in ``answered_by``."""

    answered_by: str | None = None
    # Answers the search on the database instead of the same query on the fallback
    # backend (:meth:`with_database_answer`).
    database_answer: Callable[[], Any] | None = None

    def with_database_answer(self, database: Callable[[], Any]):
        """These results, answered by ``database()`` (a QuerySet or a list, best first,
        sliced like them) whenever the cluster cannot."""
        self.database_answer = database
        return self

    def _clone(self):
        clone = super()._clone()
        clone.database_answer = self.database_answer
        return clone

    def _do_search(self) -> list[Any]:
        return self._answer("Wagtail search", self._cluster_results, self._database_results)

    def _do_count(self) -> int:
        return self._answer(
            "Wagtail search count", super()._do_count, lambda: _size(self._database_sliced())
        )

    def facet(self, field_name: str) -> dict[Any, int]:
        return self._answer(
            "Wagtail search facets",
            partial(super().facet, field_name),
            lambda: self._database_search().facet(field_name),
        )

    def _answer(self, what: str, cluster, database):
        result = service.answer(what, cluster=cluster, database=database)
        self.answered_by = result.backend
        return result.value

    def _cluster_results(self) -> list[Any]:
        # The cluster's results are a generator: a fault may come while reading it.
        return list(super()._do_search())

    def _database_results(self) -> list[Any]:
        return list(self._database_sliced())

    def _database_sliced(self):
        return self._database_search()[self.start : self.stop]

    def _database_search(self):
        """The same query, on the fallback backend (unsliced), or the database's own
        answer when one was given (:meth:`with_database_answer`)."""
        if self.database_answer is not None:
            return self.database_answer()
        compiler = self.query_compiler
        backend = self.backend.fallback_backend()
        if isinstance(compiler, ElasticsearchAutocompleteQueryCompilerImpl):
            search = backend.autocomplete
        else:
            search = backend.search
        results = search(
            compiler.query,
            compiler.queryset,
            fields=compiler.fields,
            order_by_relevance=compiler.order_by_relevance,
        )
        if self._score_field:
            results = results.annotate_score(self._score_field)
        return results


def _size(results) -> int:
    return len(results) if isinstance(results, list) else results.count()


# -- backends ----------------------------------------------------------------------------


class DatabaseFallbackBackendMixin:
    """Options on top of Wagtail's: ``FALLBACK``, the name of the backend that answers
    when the cluster cannot (default ``"database"``; Wagtail's database backend when no
    backend has that name). ``OPTIONS`` default to no retries: a page must fall back
    quickly rather than wait through a retry cycle."""

    def __init__(self, params: dict[str, Any]) -> None:
        params = dict(params)
        self.fallback_name = params.pop("FALLBACK", "database")
        params["OPTIONS"] = {
            "max_retries": 0,
            "retry_on_timeout": False,
            **params.get("OPTIONS", {}),
        }
        params["INDEX_SETTINGS"] = deep_update(
            deepcopy(ANALYSIS_SETTINGS), params.get("INDEX_SETTINGS", {})
        )
        super().__init__(params)

    def fallback_backend(self):
        try:
            backend = get_search_backend(self.fallback_name)
        except InvalidSearchBackendError:
            backend = None
        if backend is None or isinstance(backend, DatabaseFallbackBackendMixin):
            backend = get_search_backend(DATABASE_BACKEND)
        return backend

    # Index updates: record the fault (searches go to the database meanwhile), then let
    # Wagtail log it and carry on (signal handlers) or fail (update_index).

    def add(self, obj) -> None:
        self._update("Wagtail index update", super().add, obj)

    def add_bulk(self, model, obj_list) -> None:
        self._update("Wagtail index update", super().add_bulk, model, obj_list)

    def delete(self, obj) -> None:
        self._update("Wagtail index delete", super().delete, obj)

    @staticmethod
    def _update(what: str, call, *args) -> None:
        try:
            call(*args)
        except SEARCH_ERRORS as error:
            service.record_fault(what, error)
            raise


class OpenSearch2Mapping(LanguageMappingMixin, opensearch2.OpenSearch2Mapping):
    pass


class OpenSearch2SearchQueryCompiler(
    LanguageQueryMixin, opensearch2.OpenSearch2SearchQueryCompiler
):
    mapping_class = OpenSearch2Mapping


class OpenSearch2AutocompleteQueryCompiler(opensearch2.OpenSearch2AutocompleteQueryCompiler):
    mapping_class = OpenSearch2Mapping


class OpenSearch2SearchResults(DatabaseFallbackResultsMixin, opensearch2.OpenSearch2SearchResults):
    pass


class OpenSearch2SearchBackend(DatabaseFallbackBackendMixin, opensearch2.OpenSearch2SearchBackend):
    """OpenSearch 2.x (verified in CI)."""

    mapping_class = OpenSearch2Mapping
    query_compiler_class = OpenSearch2SearchQueryCompiler
    autocomplete_query_compiler_class = OpenSearch2AutocompleteQueryCompiler
    results_class = OpenSearch2SearchResults


class Elasticsearch8Mapping(LanguageMappingMixin, elasticsearch8.Elasticsearch8Mapping):
    pass


class Elasticsearch8SearchQueryCompiler(
    LanguageQueryMixin, elasticsearch8.Elasticsearch8SearchQueryCompiler
):
    mapping_class = Elasticsearch8Mapping


class Elasticsearch8AutocompleteQueryCompiler(
    elasticsearch8.Elasticsearch8AutocompleteQueryCompiler
):
    mapping_class = Elasticsearch8Mapping


class Elasticsearch8SearchResults(
    DatabaseFallbackResultsMixin, elasticsearch8.Elasticsearch8SearchResults
):
    pass


class Elasticsearch8SearchBackend(
    DatabaseFallbackBackendMixin, elasticsearch8.Elasticsearch8SearchBackend
):
    """Elasticsearch 8.x (``COBIOE_SEARCH["ENGINE"] = "elasticsearch"``)."""

    mapping_class = Elasticsearch8Mapping
    query_compiler_class = Elasticsearch8SearchQueryCompiler
    autocomplete_query_compiler_class = Elasticsearch8AutocompleteQueryCompiler
    results_class = Elasticsearch8SearchResults


SearchBackend = OpenSearch2SearchBackend
