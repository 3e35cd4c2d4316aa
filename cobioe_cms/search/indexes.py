"""Index lifecycle: versioned indexes behind an alias, rebuilt without downtime.

Readers and single-document updates always use the alias ``<prefix>-<name>``. A rebuild
fills a new index ``<prefix>-<name>-v<timestamp>`` while the alias still points to the
old one, then moves the alias in one ``_aliases`` request (remove + add are atomic), and
only then deletes the old versions. At no moment does the alias point to nothing or to a
half-filled index.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet

from .client import NOT_FOUND_ERRORS, get_client, helpers
from .conf import search_settings
from .registry import SearchDocument, get_document

logger = logging.getLogger("cobioe_cms.search")

BULK_CHUNK = 500


class SearchNotConfigured(RuntimeError):
    """Raised by operations that need a cluster when ``COBIOE_SEARCH["URL"]`` is empty."""


@dataclass
class RebuildResult:
    alias: str
    index: str
    indexed: int
    removed: list[str] = field(default_factory=list)


def alias_name(name: str) -> str:
    return f"{search_settings().index_prefix}-{name}"


def new_index_name(name: str) -> str:
    # Microseconds: two rebuilds in the same second (tests, a retried job) get two names.
    return f"{alias_name(name)}-v{datetime.now(UTC):%Y%m%d%H%M%S%f}"


def _require_client() -> Any:
    client = get_client()
    if client is None:
        raise SearchNotConfigured("no search cluster configured (COBIOE_SEARCH['URL'])")
    return client


def versions(client: Any, name: str) -> list[str]:
    """Every versioned index of ``name``, oldest first (the stamp sorts as text)."""
    pattern = re.compile(re.escape(alias_name(name)) + r"-v\d+")
    found = client.indices.get(index=f"{alias_name(name)}-v*", allow_no_indices=True)
    return sorted(index for index in found if pattern.fullmatch(index))


def aliased_indexes(client: Any, name: str) -> list[str]:
    """The indexes the alias points to now (none before the first rebuild)."""
    try:
        return sorted(client.indices.get_alias(name=alias_name(name)))
    except NOT_FOUND_ERRORS:
        return []


def _iterate(objects: Any) -> Iterator[Any]:
    if isinstance(objects, QuerySet):
        return objects.iterator(chunk_size=BULK_CHUNK)
    return iter(objects)


def _actions(document: SearchDocument, index: str, objects: Any) -> Iterator[dict[str, Any]]:
    for obj in _iterate(objects):
        if document.should_index(obj):
            yield {"_index": index, "_id": str(obj.pk), "_source": document.serialize(obj)}


def rebuild(name: str) -> RebuildResult:
    """Fill a new version of index ``name``, swap the alias to it, drop the old ones."""
    client = _require_client()
    document = get_document(name)
    alias, index = alias_name(name), new_index_name(name)
    body = {"settings": document.index_settings(), "mappings": document.mapping()}
    client.indices.create(index=index, body=body)
    try:
        indexed, _errors = helpers().bulk(
            client, _actions(document, index, document.queryset()), chunk_size=BULK_CHUNK
        )
        client.indices.refresh(index=index)
        previous = aliased_indexes(client, name)
        actions: list[dict[str, Any]] = [
            {"remove": {"index": old, "alias": alias}} for old in previous
        ]
        actions.append({"add": {"index": index, "alias": alias}})
        client.indices.update_aliases(body={"actions": actions})
    except Exception:
        # Leave the live alias as it was and no orphan behind.
        client.indices.delete(index=index, ignore_unavailable=True)
        raise
    removed = [old for old in versions(client, name) if old != index]
    if removed:
        client.indices.delete(index=",".join(removed), ignore_unavailable=True)
    logger.info("rebuilt %s: %d documents in %s", alias, indexed, index)
    return RebuildResult(alias=alias, index=index, indexed=indexed, removed=removed)


def _alias_ready(client: Any, name: str) -> bool:
    # Writing to a missing alias would make OpenSearch create a plain index with that
    # name and a guessed mapping, which would block every later rebuild.
    if client.indices.exists_alias(name=alias_name(name)):
        return True
    logger.warning("index %s not built yet; run search_rebuild", alias_name(name))
    return False


def index_one(name: str, obj: Any, refresh: bool = False) -> bool:
    """Index (or, if it no longer belongs, remove) one object. False when skipped
    because no cluster is configured or the index was never built."""
    client = get_client()
    if client is None or not _alias_ready(client, name):
        return False
    document = get_document(name)
    if not document.should_index(obj):
        return delete_one(name, obj.pk, refresh=refresh)
    client.index(
        index=alias_name(name), id=str(obj.pk), body=document.serialize(obj), refresh=refresh
    )
    return True


def delete_one(name: str, pk: Any, refresh: bool = False) -> bool:
    """Remove one document; a document that is not there is not an error."""
    client = get_client()
    if client is None or not _alias_ready(client, name):
        return False
    with contextlib.suppress(*NOT_FOUND_ERRORS):
        client.delete(index=alias_name(name), id=str(pk), refresh=refresh)
    return True


def sync_many(name: str, pks: list[Any], refresh: bool = False) -> tuple[int, int] | None:
    """Make the index agree with the database for these primary keys: objects that
    ``queryset()`` still yields (and ``should_index`` accepts) are (re)indexed, every
    other key is deleted. One bulk request per chunk; returns (indexed, deleted), or
    None when skipped (no cluster configured, or the index never built)."""
    client = get_client()
    if client is None or not _alias_ready(client, name):
        return None
    document = get_document(name)
    alias = alias_name(name)
    keys = {str(pk) for pk in pks}
    objects = document.queryset().filter(pk__in=list(pks))
    kept: set[str] = set()

    def actions() -> Iterator[dict[str, Any]]:
        for action in _actions(document, alias, objects):
            kept.add(action["_id"])
            yield action

    indexed, _errors = helpers().bulk(client, actions(), chunk_size=BULK_CHUNK)
    removed = [{"_op_type": "delete", "_index": alias, "_id": key} for key in sorted(keys - kept)]
    deleted = 0
    if removed:
        # A key that was never indexed is a 404 in the bulk response, not a failure.
        deleted, _errors = helpers().bulk(
            client, removed, chunk_size=BULK_CHUNK, raise_on_error=False
        )
    if refresh:
        client.indices.refresh(index=alias)
    return indexed, deleted
