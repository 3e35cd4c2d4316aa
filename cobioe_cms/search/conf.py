"""The ``COBIOE_SEARCH`` setting, read on every call rather than at import so tests
(and ``override_settings``) can point the app at another node or prefix.

Keys: ``URL`` (empty: the database answers everything), ``ENGINE`` (``opensearch`` for
OpenSearch 2.x, verified in CI; ``elasticsearch`` for Elasticsearch 8.x), ``INDEX_PREFIX``
(one per environment), ``TIMEOUT`` (seconds per request) and ``RETRY_AFTER`` (seconds the
site keeps answering from the database after a cluster fault before asking it again).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from cobioe_cms.core.conf import DEFAULTS as COBIOE_DEFAULTS
from cobioe_cms.core.conf import conf

ENGINES = ("opensearch", "elasticsearch")
DEFAULTS: dict[str, object] = COBIOE_DEFAULTS["SEARCH"].default


@dataclass(frozen=True)
class SearchSettings:
    url: str
    engine: str
    index_prefix: str
    timeout: float
    retry_after: float

    @property
    def configured(self) -> bool:
        """An empty URL means the site runs on its database backend only."""
        return bool(self.url)


def search_settings() -> SearchSettings:
    values = {**DEFAULTS, **(conf.SEARCH or {})}
    engine = str(values["ENGINE"] or "opensearch").lower()
    if engine not in ENGINES:
        raise ImproperlyConfigured(
            f"COBIOE_SEARCH['ENGINE'] must be one of {', '.join(ENGINES)}, not {engine!r}"
        )
    return SearchSettings(
        url=str(values["URL"] or "").rstrip("/"),
        engine=engine,
        index_prefix=str(values["INDEX_PREFIX"] or "cobioe").lower(),
        timeout=float(values["TIMEOUT"]),
        retry_after=float(values["RETRY_AFTER"]),
    )
