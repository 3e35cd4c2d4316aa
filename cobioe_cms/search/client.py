"""The opensearch-py client for the configured node.

Timeouts are short and retries off: a page that asks the cluster must fall back to the
database quickly when the cluster is down, not wait for a retry cycle.
"""

from __future__ import annotations

from functools import lru_cache

from opensearchpy import OpenSearch

from .conf import search_settings


@lru_cache(maxsize=8)
def _client(url: str, timeout: float) -> OpenSearch:
    return OpenSearch(
        hosts=[url],
        timeout=timeout,
        max_retries=0,
        retry_on_timeout=False,
        retry_on_status=(),
    )


def get_client() -> OpenSearch | None:
    """The client for ``COBIOE_SEARCH["URL"]``, or None when no cluster is configured.

    Building it opens no connection; clients are cached per (URL, timeout).
    """
    conf = search_settings()
    if not conf.configured:
        return None
    return _client(conf.url, conf.timeout)
