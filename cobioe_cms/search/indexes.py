"""Index lifecycle: versioned indexes behind an alias, rebuilt without downtime.

Readers and single-document updates always use the alias ``<prefix>-<name>``. A rebuild
fills a new index ``<prefix>-<name>-v<timestamp>`` while the alias still points to the
old one, then moves the alias in one ``_aliases`` request (remove + add are atomic), and
only then deletes the old versions. At no moment does the alias point to nothing or to a
half-filled index.

One rebuild of an index at a time: a rebuild takes a lock, a document in the small
index ``<prefix>--rebuilds`` created only if absent (so two machines cannot both get
it); a second rebuild of the same index is refused with :class:`RebuildInProgress`
(the lock of a rebuild that died is taken over after ``LOCK_EXPIRY``). The lock also
names the index being filled: updates made while a rebuild runs (:func:`sync_many`)
are written both behind the alias and into the new index, and the rebuild only
*creates* documents, never overwriting one such an update wrote, so the new version
does not miss changes made during the rebuild.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import QuerySet

from .client import CONFLICT_ERRORS, NOT_FOUND_ERRORS, get_client, helpers
from .conf import search_settings
from .registry import SearchDocument, get_document

logger = logging.getLogger("cobioe_cms.search")

BULK_CHUNK = 500
# A rebuild of 100,000 documents takes about a minute here; a lock this old is a dead one.
LOCK_EXPIRY = timedelta(hours=2)
CONFLICT = 409


class SearchNotConfigured(RuntimeError):
    """Raised by operations that need a cluster when ``COBIOE_SEARCH["URL"]`` is empty."""


class RebuildInProgress(RuntimeError):
    """Another rebuild of the same index holds the lock."""


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


def locks_index() -> str:
    # Two hyphens: no registered name is empty, so this never looks like an alias.
    return f"{search_settings().index_prefix}--rebuilds"


def read_lock(client: Any, name: str) -> dict[str, Any] | None:
    try:
        return client.get(index=locks_index(), id=name)["_source"]
    except NOT_FOUND_ERRORS:
        return None


def _take_lock(client: Any, name: str, index: str) -> None:
    now = datetime.now(UTC)
    body = {"index": index, "started": now.isoformat()}
    try:
        client.create(index=locks_index(), id=name, body=body, refresh=True)
        return
    except CONFLICT_ERRORS:
        pass
    held = read_lock(client, name) or {}
    started = datetime.fromisoformat(held.get("started") or now.isoformat())
    if now - started < LOCK_EXPIRY:
        raise RebuildInProgress(
            f"a rebuild of {alias_name(name)} into {held.get('index')} started at "
            f"{started:%Y-%m-%d %H:%M:%S} UTC is still running"
        )
    logger.warning("taking over the lock of a dead rebuild of %s (%s)", name, held)
    client.index(index=locks_index(), id=name, body=body, refresh=True)


def _release_lock(client: Any, name: str, index: str) -> None:
    held = read_lock(client, name)
    if held and held.get("index") == index:
        with contextlib.suppress(*NOT_FOUND_ERRORS):
            client.delete(index=locks_index(), id=name, refresh=True)


def _write_targets(client: Any, name: str) -> list[str]:
    """The alias, plus the index a running rebuild is filling (if it still exists)."""
    targets = [alias_name(name)]
    held = read_lock(client, name)
    if held and held.get("index") and client.indices.exists(index=held["index"]):
        targets.append(held["index"])
    return targets


def _only_conflicts(errors: list[dict[str, Any]]) -> None:
    """Raise unless every failed bulk item is a 409 (a newer document kept)."""
    for error in errors:
        ((_op, detail),) = error.items()
        if detail.get("status") != CONFLICT:
            raise RuntimeError(f"bulk indexing failed: {detail}")


def _iterate(objects: Any) -> Iterator[Any]:
    if isinstance(objects, QuerySet):
        return objects.iterator(chunk_size=BULK_CHUNK)
    return iter(objects)


def _actions(
    document: SearchDocument, index: str, objects: Any, op_type: str = "index"
) -> Iterator[dict[str, Any]]:
    for obj in _iterate(objects):
        if document.should_index(obj):
            yield {
                "_op_type": op_type,
                "_index": index,
                "_id": str(obj.pk),
                "_source": document.serialize(obj),
            }


def rebuild(name: str) -> RebuildResult:
    """Fill a new version of index ``name``, swap the alias to it, drop the old ones."""
    client = _require_client()
    document = get_document(name)
    alias, index = alias_name(name), new_index_name(name)
    body = {"settings": document.index_settings(), "mappings": document.mapping()}
    _take_lock(client, name, index)
    try:
        return _fill_and_swap(client, document, name, alias, index, body)
    finally:
        _release_lock(client, name, index)


def _fill_and_swap(
    client: Any, document: SearchDocument, name: str, alias: str, index: str, body: dict
) -> RebuildResult:
    client.indices.create(index=index, body=body)
    try:
        # "create": a document an update wrote meanwhile (newer) is kept, a 409 here.
        indexed, errors = helpers().bulk(
            client,
            _actions(document, index, document.queryset(), op_type="create"),
            chunk_size=BULK_CHUNK,
            raise_on_error=False,
        )
        _only_conflicts(errors)
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


def sync_many(name: str, pks: list[Any], refresh: bool = False) -> tuple[int, int] | None:
    """Make the index agree with the database for these primary keys: objects that
    ``queryset()`` still yields (and ``should_index`` accepts) are (re)indexed, every
    other key is deleted. One bulk request per chunk; returns (indexed, deleted), or
    None when skipped (no cluster configured, or the index never built)."""
    client = get_client()
    if client is None or not _alias_ready(client, name):
        return None
    document = get_document(name)
    targets = _write_targets(client, name)
    keys = {str(pk) for pk in pks}
    objects = list(document.queryset().filter(pk__in=list(pks)))
    kept: set[str] = set()
    indexed = deleted = 0
    for target in targets:
        # Counted once, on the alias; a running rebuild's index gets the same writes.
        done, _errors = helpers().bulk(
            client, _actions(document, target, objects), chunk_size=BULK_CHUNK
        )
        kept = {str(obj.pk) for obj in objects if document.should_index(obj)}
        removed = [
            {"_op_type": "delete", "_index": target, "_id": key} for key in sorted(keys - kept)
        ]
        gone = 0
        if removed:
            # A key that was never indexed is a 404 in the bulk response, not a failure.
            gone, _errors = helpers().bulk(
                client, removed, chunk_size=BULK_CHUNK, raise_on_error=False
            )
        if target == targets[0]:
            indexed, deleted = done, gone
        if refresh:
            client.indices.refresh(index=target)
    return indexed, deleted
