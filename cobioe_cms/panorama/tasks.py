"""Background work of the panorama: rebuilding the bulk open-data files."""

from __future__ import annotations

from django.core.cache import cache
from django_tasks import task

from . import opendata


@task()
def build_open_data() -> dict:
    """Rebuild the open-data files (queued by :func:`.opendata.schedule_build`).

    The pending flag goes first, so that a change made during the build queues another
    one rather than being lost."""
    cache.delete(opendata.PENDING_KEY)
    descriptor = opendata.build()
    return {"count": descriptor["count"], "generated_at": descriptor["generated_at"]}
