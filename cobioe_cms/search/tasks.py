"""Keeping the cluster's indexes in step with the database, in the background.

Content apps call :func:`schedule_sync` from their signal receivers (publish, unpublish,
move, delete, import, merge, ingestion). When no cluster is configured it does nothing
(no task rows, no network). Otherwise a django-tasks task is queued once the
transaction commits (so the worker reads what was committed, and a rolled-back change
queues nothing); it runs at once with the immediate backend, or in ``db_worker``.

A task that meets a cluster fault logs it and gives up: the database keeps serving
meanwhile, and ``manage.py search_rebuild`` (zero downtime) repairs the index after an
outage. It never fails the request or the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django_tasks import task

from .client import SEARCH_ERRORS
from .conf import search_settings
from .indexes import sync_many

logger = logging.getLogger("cobioe_cms.search")

# One task carries at most this many keys (an import of 2,000 rows queues 4 tasks).
TASK_BATCH = 500


@task()
def sync_documents(name: str, pks: list[Any]) -> dict[str, Any]:
    """Make index ``name`` agree with the database for ``pks`` (JSON result for the log)."""
    try:
        result = sync_many(name, pks)
    except SEARCH_ERRORS as error:
        logger.warning(
            "search index %s not updated for %d objects (%s: %s); run search_rebuild "
            "once the cluster is back",
            name,
            len(pks),
            type(error).__name__,
            error,
        )
        return {"index": name, "status": "fault", "error": type(error).__name__}
    if result is None:
        return {"index": name, "status": "skipped"}
    indexed, deleted = result
    return {"index": name, "status": "ok", "indexed": indexed, "deleted": deleted}


def schedule_sync(name: str, pks: Iterable[Any]) -> None:
    """Queue an index update for these objects after the current transaction commits."""
    if not search_settings().configured:
        return
    keys = sorted({pk for pk in pks if pk is not None})
    if not keys:
        return

    def enqueue() -> None:
        for start in range(0, len(keys), TASK_BATCH):
            sync_documents.enqueue(name, keys[start : start + TASK_BATCH])

    transaction.on_commit(enqueue)
