"""Where content apps register what they put in the cluster.

A content app declares an elasticsearch-dsl ``Document`` (its mapping only: requests are
sent with opensearch-py, see ``indexes``) and two functions, then calls :func:`register`
from its ``AppConfig.ready()``. The search app never imports the content apps; it only
knows the documents they registered.

Field helpers below give every app the same analysis: keyword fields for facets and
exact filters, text fields with ``english`` and ``french`` sub-fields for full text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from elasticsearch_dsl import Document, Keyword, Text

# The language analysers come from OpenSearch's analysis-common module.
LANGUAGES = ("en", "fr")
ANALYZERS = {"en": "english", "fr": "french"}
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]*")


def bilingual_text(*, keyword: bool = False) -> Text:
    """A text field analysed three ways: ``standard`` (the field itself), ``.en`` with
    English stemming and ``.fr`` with French stemming; ``.raw`` adds an exact keyword."""
    fields: dict[str, Any] = {lang: Text(analyzer=ANALYZERS[lang]) for lang in LANGUAGES}
    if keyword:
        fields["raw"] = Keyword()
    return Text(fields=fields)


def folded_text(**extra_fields: Text) -> Text:
    """A folded text (``cobioe_cms.core.text.fold``) the database matches with
    ``contains``: ``.exact`` keeps it whole, so a wildcard ``*term*`` there is the
    database's substring match; ``.en`` and ``.fr`` serve ranked, stemmed full text.
    ``extra_fields`` adds sub-fields (the watch items' trigrams)."""
    fields: dict[str, Any] = {lang: Text(analyzer=ANALYZERS[lang]) for lang in LANGUAGES}
    return Text(fields={**fields, "exact": Keyword(), **extra_fields})


def token_text() -> Text:
    """An analysed token string (:func:`cobioe_cms.core.analysis.token_string`): the
    platform's analysis already folded, filtered and stemmed it, so the cluster only
    splits it on spaces and matches the database's ``" stem "`` with a ``term`` query
    and its ``" prefix"`` with a ``prefix`` query."""
    return Text(analyzer="whitespace", index_options="docs", norms=False)


def slug_list() -> Keyword:
    """Taxonomy slugs: a keyword field holding one or many values (facets, filters)."""
    return Keyword(multi=True)


@dataclass(frozen=True)
class SearchDocument:
    """One index: what goes in it and where it comes from.

    ``name`` is the index base name (the alias is ``<prefix>-<name>``); ``serialize``
    turns a model instance into the document body; ``queryset`` returns a QuerySet of
    everything that belongs in the index (a rebuild iterates it; :func:`indexes.sync_many`
    filters it by primary key); ``should_index`` says whether one instance belongs in
    the index (an unpublished page does not: :func:`indexes.sync_many` deletes it).
    """

    name: str
    document: type[Document]
    serialize: Callable[[Any], dict[str, Any]]
    queryset: Callable[[], Any]
    should_index: Callable[[Any], bool] = lambda obj: True
    settings: dict[str, Any] | None = None

    def mapping(self) -> dict[str, Any]:
        """The mappings body, from the Document's elasticsearch-dsl mapping."""
        return self.document._doc_type.mapping.to_dict()

    def index_settings(self) -> dict[str, Any]:
        # One shard, no replica: the corpora are small (thousands of profiles), and a
        # single-node cluster would stay yellow with replicas.
        return {"number_of_shards": 1, "number_of_replicas": 0, **(self.settings or {})}


_documents: dict[str, SearchDocument] = {}


def register(document: SearchDocument) -> SearchDocument:
    """Register (or replace, e.g. on autoreload) the document named ``document.name``."""
    # No hyphen: "<prefix>-<name>-v<stamp>" must never match another name's versions.
    if not NAME_PATTERN.fullmatch(document.name):
        raise ValueError(f"invalid index base name: {document.name!r}")
    _documents[document.name] = document
    return document


def get_document(name: str) -> SearchDocument:
    try:
        return _documents[name]
    except KeyError:
        raise LookupError(f"no search document named {name!r}") from None


def registered_names() -> list[str]:
    return sorted(_documents)
