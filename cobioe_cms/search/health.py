"""Is the search cluster usable? Asked by the health view, the rebuild command and
(later) the pages that fall back to the database when the answer is no."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.cache import cache

from .client import SEARCH_ERRORS, get_client
from .conf import search_settings
from .service import breaker_open, record_fault

logger = logging.getLogger("cobioe_cms.search")
# The public health endpoint asks the cluster at most once per this many seconds for
# the whole site (the answer is kept in the shared cache): anyone may call it, and a
# request to the cluster per call would let them load the cluster through the site.
HEALTH_CACHE_SECONDS = 10


def check() -> dict[str, Any]:
    """``{"backend", "status", "detail"}``; never raises.

    ``not-configured`` makes no network call at all; ``degraded`` means a cluster is
    configured but unreachable or red, so the site serves from the database.
    """
    client = get_client()
    if client is None:
        return {
            "backend": "database",
            "status": "not-configured",
            "detail": "no search cluster configured; the database answers searches",
        }
    try:
        health = client.cluster.health()
    except SEARCH_ERRORS as error:
        # The error text may carry the URL; the log gets it, the public JSON does not.
        record_fault("health check", error)
        return {
            "backend": "database",
            "status": "degraded",
            "detail": f"search cluster unreachable ({type(error).__name__})",
        }
    cluster_status = health.get("status", "unknown")
    if cluster_status not in {"green", "yellow"}:
        logger.warning("search cluster status %s", cluster_status)
        return {
            "backend": "database",
            "status": "degraded",
            "detail": f"cluster status {cluster_status}",
        }
    if breaker_open():
        # The node answers again, but pages keep using the database until the pause
        # after the last fault (COBIOE_SEARCH["RETRY_AFTER"]) is over.
        return {
            "backend": "database",
            "status": "degraded",
            "detail": f"cluster status {cluster_status}; recovering from a recent fault",
        }
    return {"backend": "cluster", "status": "ok", "detail": f"cluster status {cluster_status}"}


def recent_check() -> dict[str, Any]:
    """:func:`check`'s answer, at most HEALTH_CACHE_SECONDS old."""
    conf = search_settings()
    if not conf.configured:
        return check()  # no network call to save
    target = hashlib.sha256(f"{conf.engine} {conf.url}".encode()).hexdigest()[:16]
    key = f"cobioe-search-health:{target}"
    result = cache.get(key)
    if result is None:
        result = check()
        cache.set(key, result, timeout=HEALTH_CACHE_SECONDS)
    elif result["status"] == "ok" and breaker_open():
        # A page met a fault since the answer was kept: the site serves from the
        # database now, and the breaker (a cache read, no network) says so at once.
        return {
            "backend": "database",
            "status": "degraded",
            "detail": "search cluster fault in the last moments; the database answers",
        }
    return result
