"""The rebuild a superuser starts from the admin's Search page (``admin_views``).

It runs :func:`indexes.rebuild` as a django-tasks task: at once with the immediate
backend (development, tests), in ``db_worker`` otherwise, so a rebuild of a large index
never holds a request open. Expected refusals (another rebuild holds the lock, no
cluster configured, the cluster down) are logged and reported in the result, not
raised: the alias keeps pointing to the previous version and the site keeps working.
Anything else (a document the cluster rejects) is a bug and fails the task.
"""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from . import indexes
from .client import SEARCH_ERRORS

logger = logging.getLogger("cobioe_cms.search")

# ``status`` values of a result.
REBUILT, IN_PROGRESS, NOT_CONFIGURED, UNKNOWN, FAULT = (
    "rebuilt",
    "in-progress",
    "not-configured",
    "unknown",
    "fault",
)


@task()
def rebuild_index(name: str) -> dict[str, Any]:
    """Rebuild index ``name``; a JSON summary ``{"index", "status", ...}`` for the log
    and for the admin page, which reports it when the task has already run."""
    try:
        result = indexes.rebuild(name)
    except LookupError:
        # Queued, then the document was unregistered (a deploy in between).
        logger.warning("rebuild of unknown search index %r skipped", name)
        return {"index": name, "status": UNKNOWN}
    except indexes.SearchNotConfigured:
        logger.warning("rebuild of search index %s skipped: no cluster configured", name)
        return {"index": name, "status": NOT_CONFIGURED}
    except indexes.RebuildInProgress as error:
        logger.warning("rebuild of search index %s not started: %s", name, error)
        return {"index": name, "status": IN_PROGRESS, "detail": str(error)}
    except SEARCH_ERRORS as error:
        # The error text may carry the cluster's URL: the log gets it, the result not.
        logger.warning(
            "rebuild of search index %s failed (%s: %s); the alias is unchanged",
            name,
            type(error).__name__,
            error,
        )
        return {"index": name, "status": FAULT, "error": type(error).__name__}
    return {
        "index": name,
        "status": REBUILT,
        "alias": result.alias,
        "version": result.index,
        "indexed": result.indexed,
        "removed": result.removed,
    }
