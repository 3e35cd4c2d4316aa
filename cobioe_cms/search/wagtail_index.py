"""Bringing Wagtail's search index up to date after writes that send no signals.

Wagtail indexes a page when it is saved (``post_save``) and forgets it when it is
deleted. Bulk writes (the demo generator, imports) insert rows without ``save()``, so
nothing reaches the index and the site search cannot find what they wrote. They call
:func:`index_objects` (objects already in memory) or :func:`index_pks` (to read them
back) once, at the end, so the index ends as complete as page-by-page publishing
would leave it, for far less than a save per page.

Like Wagtail's own signal handlers, these write to every backend whose ``AUTO_UPDATE``
is on (the database, and the cluster's Wagtail indexes when one is configured), and
index what Wagtail indexes: every object of the model, live or not (the admin's page
search uses the same index; the public searches filter on ``live``). A backend that
catches indexing errors (the cluster) has the fault logged and the write carries on,
as a save would; ``manage.py update_index`` repairs it afterwards.

Used by content apps; imports no domain app (layer 0).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models
from wagtail.search.backends import get_search_backends_with_name

logger = logging.getLogger("cobioe_cms.search")

# Objects per add_bulk call: each call also refreshes the database backend's title
# norms (one pass over its table), so the batches are large.
BATCH = 1000


def index_objects(model: type[models.Model], objects: Sequence[models.Model]) -> int:
    """Add or update ``objects`` (instances of ``model`` itself, with the values their
    ``search_fields`` read: related fields prefetched or set in memory) in every search
    backend that updates automatically. Returns how many objects were given."""
    if not objects:
        return 0
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        for start in range(0, len(objects), BATCH):
            try:
                backend.add_bulk(model, objects[start : start + BATCH])
            except Exception:
                # The same policy as Wagtail's insert_or_update_object: a database
                # backend's error fails the transaction; a cluster's is only logged.
                logger.exception(
                    "%d %s objects not added to the '%s' search backend",
                    len(objects),
                    model._meta.label,
                    name,
                )
                if not backend.catch_indexing_errors:
                    raise
                break
    return len(objects)


def index_pks(model: type[models.Model], pks: Iterable[Any]) -> int:
    """Read these ``model`` objects as Wagtail's ``update_index`` would (its
    ``get_indexed_objects()``, related fields prefetched) and :func:`index_objects`
    them. Keys of objects that no longer exist are ignored."""
    keys = sorted({pk for pk in pks if pk is not None})
    total = 0
    for start in range(0, len(keys), BATCH):
        chunk = keys[start : start + BATCH]
        total += index_objects(model, list(model.get_indexed_objects().filter(pk__in=chunk)))
    return total
