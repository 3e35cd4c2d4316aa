"""The official client of the configured cluster: ``opensearch-py`` for OpenSearch 2.x,
``elasticsearch`` for Elasticsearch 8.x (``COBIOE_SEARCH["ENGINE"]``).

Request bodies are built with elasticsearch-dsl (``Search(...).to_dict()``) and are the
same for both; only the client object, its helpers (bulk, scan) and its exception
classes differ, and this module is the one place that knows which is which.

Timeouts are short and retries off: a page that asks the cluster must fall back to the
database quickly when the cluster is down, not wait for a retry cycle.
"""

from __future__ import annotations

from functools import lru_cache
from types import ModuleType
from typing import Any

import elastic_transport
import elasticsearch
import opensearchpy
from opensearchpy import helpers as opensearch_helpers

from .conf import search_settings

# Everything a cluster call may raise when the cluster is down, slow, refuses the
# request or is not the engine we expected. ``OSError`` covers sockets closed early.
SEARCH_ERRORS: tuple[type[BaseException], ...] = (
    opensearchpy.exceptions.OpenSearchException,
    elasticsearch.ApiError,
    elastic_transport.TransportError,
    elasticsearch.UnsupportedProductError,
    OSError,
)
NOT_FOUND_ERRORS: tuple[type[BaseException], ...] = (
    opensearchpy.NotFoundError,
    elasticsearch.NotFoundError,
)
CONFLICT_ERRORS: tuple[type[BaseException], ...] = (
    opensearchpy.ConflictError,
    elasticsearch.ConflictError,
)


@lru_cache(maxsize=8)
def _client(engine: str, url: str, timeout: float) -> Any:
    if engine == "elasticsearch":
        return elasticsearch.Elasticsearch(
            url, request_timeout=timeout, max_retries=0, retry_on_timeout=False
        )
    # opensearch-py: ``timeout`` here is the per-request default.
    return opensearchpy.OpenSearch(
        hosts=[url], timeout=timeout, max_retries=0, retry_on_timeout=False, retry_on_status=()
    )


def get_client() -> Any | None:
    """The client for ``COBIOE_SEARCH["URL"]``, or None when no cluster is configured.

    Building it opens no connection; clients are cached per (engine, URL, timeout).
    """
    conf = search_settings()
    if not conf.configured:
        return None
    return _client(conf.engine, conf.url, conf.timeout)


def helpers() -> ModuleType:
    """``bulk`` and ``scan`` of the configured engine's client library."""
    if search_settings().engine == "elasticsearch":
        from elasticsearch import helpers as elasticsearch_helpers

        return elasticsearch_helpers
    return opensearch_helpers


def msearch(client: Any, searches: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Several searches, ``(index, body)`` each, in one request (``_msearch``): their
    responses in the same order. A search the cluster refuses has an ``"error"`` in its
    response instead of hits; a failed request raises one of :data:`SEARCH_ERRORS`."""
    lines: list[dict[str, Any]] = []
    for index, body in searches:
        lines += [{"index": index}, body]
    if isinstance(client, elasticsearch.Elasticsearch):
        return client.msearch(searches=lines)["responses"]
    return client.msearch(body=lines)["responses"]
