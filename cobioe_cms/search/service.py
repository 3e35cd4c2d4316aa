"""One search service, two backends: the cluster when one is configured and answering,
the database otherwise. No page ever fails because of search.

A caller gives both ways of answering the same question::

    result = answer("cartography", cluster=lambda: ..., database=lambda: ...)
    result.value, result.backend  # backend: "cluster" or "database"

If the cluster raises any of :data:`client.SEARCH_ERRORS` (down, slow, red, refusing),
the fault is logged, the database answers, and for ``COBIOE_SEARCH["RETRY_AFTER"]``
seconds later requests go straight to the database instead of each waiting for a
timeout (a circuit breaker kept in the cache, so all workers of a site share it). The
health endpoint reports the breaker's state as ``degraded``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.core.cache import cache

from .client import SEARCH_ERRORS
from .conf import search_settings

logger = logging.getLogger("cobioe_cms.search")

T = TypeVar("T")
CLUSTER, DATABASE = "cluster", "database"
_BREAKER_KEY = "cobioe-search:down-until:{url}"


@dataclass(frozen=True)
class Answer(Generic[T]):
    value: T
    backend: str  # CLUSTER or DATABASE

    @property
    def from_cluster(self) -> bool:
        return self.backend == CLUSTER


def _breaker_key() -> str:
    return _BREAKER_KEY.format(url=search_settings().url)


def cluster_usable() -> bool:
    """A cluster is configured and no fault was seen in the last ``RETRY_AFTER`` s."""
    conf = search_settings()
    if not conf.configured:
        return False
    return (cache.get(_breaker_key()) or 0) <= time.time()


def record_fault(what: str, error: BaseException) -> None:
    """Log a cluster fault and send requests to the database for a while."""
    conf = search_settings()
    # The error text may carry the cluster's URL: it goes to the log, never to a page.
    logger.warning(
        "search cluster fault during %s: %s: %s; the database answers for %ss",
        what,
        type(error).__name__,
        error,
        conf.retry_after,
    )
    if conf.retry_after > 0:
        cache.set(_breaker_key(), time.time() + conf.retry_after, timeout=conf.retry_after)


def reset_breaker() -> None:
    cache.delete(_breaker_key())


def breaker_open() -> bool:
    """True while the site answers from the database after a recent fault."""
    conf = search_settings()
    return conf.configured and (cache.get(_breaker_key()) or 0) > time.time()


def answer(what: str, *, cluster: Callable[[], T], database: Callable[[], T]) -> Answer[T]:
    """The cluster's answer when it can give one, else the database's (never raises
    because of the cluster; the database's own errors are real bugs and propagate)."""
    if cluster_usable():
        try:
            return Answer(cluster(), CLUSTER)
        except SEARCH_ERRORS as error:
            record_fault(what, error)
    return Answer(database(), DATABASE)
