"""The admin's Search page (Settings > Search, superusers only): the backend's state,
each registered index on the cluster against the database, and a Rebuild button per
index that queues :func:`admin_tasks.rebuild_index`.

URLs and the menu item are registered in ``wagtail_hooks``; Wagtail's admin wrapper
sends anonymous users to the login page and turns the ``PermissionDenied`` raised here
for other admin users into its "permission denied" redirect.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_tasks import TaskResultStatus
from wagtail.admin import messages

from . import admin_tasks, health, indexes
from .client import NOT_FOUND_ERRORS, SEARCH_ERRORS, get_client
from .conf import search_settings
from .registry import get_document, registered_names
from .service import breaker_open

logger = logging.getLogger("cobioe_cms.search")

_VERSION_STAMP = re.compile(r"-v(\d{20})$")


@dataclass(frozen=True)
class IndexStatus:
    """One registered index as the cluster and the database see it.

    ``expected`` is ``document.queryset().count()``: what a rebuild would read. For a
    document whose ``should_index`` filters further (interest profiles without any
    interest, say) it is an upper bound, so a drift there may be no drift at all.
    """

    name: str
    alias: str
    versions: list[str]
    created: datetime | None
    count: int | None  # None: the alias does not exist (never built)
    expected: int
    lock: dict[str, Any] | None
    lock_started: datetime | None

    @property
    def built(self) -> bool:
        return bool(self.versions)

    @property
    def drift(self) -> bool:
        return self.count is not None and self.count != self.expected

    @property
    def rebuilding(self) -> bool:
        return self.lock is not None

    @property
    def lock_expired(self) -> bool:
        """A lock this old belongs to a rebuild that died; the next one takes it over."""
        if self.lock_started is None:
            return False
        return datetime.now(UTC) - self.lock_started >= indexes.LOCK_EXPIRY


def version_created(index: str) -> datetime | None:
    """When a versioned index was made, from its ``-v<timestamp>`` stamp (UTC)."""
    match = _VERSION_STAMP.search(index)
    if match is None:
        return None
    return datetime.strptime(match.group(1), "%Y%m%d%H%M%S%f").replace(tzinfo=UTC)


def _parse_started(lock: dict[str, Any] | None) -> datetime | None:
    try:
        return datetime.fromisoformat(lock["started"]) if lock else None
    except (KeyError, TypeError, ValueError):
        return None


def index_status(client: Any, name: str) -> IndexStatus:
    """Ask the cluster about one index (raises :data:`SEARCH_ERRORS` when it is down)."""
    alias = indexes.alias_name(name)
    versions = indexes.aliased_indexes(client, name)
    count = None
    if versions:
        try:
            count = client.count(index=alias)["count"]
        except NOT_FOUND_ERRORS:  # the alias went away between the two requests
            versions = []
    lock = indexes.read_lock(client, name)
    return IndexStatus(
        name=name,
        alias=alias,
        versions=versions,
        created=version_created(versions[-1]) if versions else None,
        count=count,
        expected=get_document(name).queryset().count(),
        lock=lock,
        lock_started=_parse_started(lock),
    )


def _cluster_location(url: str) -> str:
    """Host and port only: a URL may carry credentials, which no page shows."""
    parts = urlsplit(url)
    return parts.netloc.rpartition("@")[2] or url


def _require_superuser(request: HttpRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied


@never_cache
@require_GET
def status(request: HttpRequest) -> HttpResponse:
    """Always 200 for a superuser: a cluster that is down is what the page reports."""
    _require_superuser(request)
    conf = search_settings()
    state = health.check()
    rows: list[IndexStatus] | None = None
    unreachable = False
    client = get_client()
    if client is not None:
        try:
            rows = [index_status(client, name) for name in registered_names()]
        except SEARCH_ERRORS as error:
            # health.check() has already recorded the fault (and opened the breaker).
            logger.warning(
                "search admin: cluster unreachable (%s: %s)", type(error).__name__, error
            )
            unreachable = True
    return TemplateResponse(
        request,
        "cobioe_search/admin/status.html",
        {
            "health": state,
            "configured": conf.configured,
            "engine": conf.engine,
            "location": _cluster_location(conf.url) if conf.configured else "",
            "index_prefix": conf.index_prefix,
            "retry_after": conf.retry_after,
            "breaker_open": breaker_open(),
            "rows": rows,
            "unreachable": unreachable,
        },
    )


@require_POST
def rebuild(request: HttpRequest) -> HttpResponse:
    """Queue a rebuild of the index named in the POST, and say what became of it."""
    _require_superuser(request)
    name = request.POST.get("index", "")
    if name not in registered_names():
        messages.error(request, _("There is no search index named “%(name)s”.") % {"name": name})
        return redirect("cobioe_search_admin:status")
    if not search_settings().configured:
        messages.error(request, _("No search cluster is configured: there is nothing to rebuild."))
        return redirect("cobioe_search_admin:status")
    result = admin_tasks.rebuild_index.enqueue(name)
    _report(request, indexes.alias_name(name), result)
    return redirect("cobioe_search_admin:status")


def _report(request: HttpRequest, alias: str, result: Any) -> None:
    """A message for the task's outcome if it already ran (immediate backend), else
    for the queued task."""
    if result.status == TaskResultStatus.FAILED:
        messages.error(
            request,
            _("The rebuild of %(alias)s failed; the index was left as it was. See the log.")
            % {"alias": alias},
        )
        return
    if result.status != TaskResultStatus.SUCCESSFUL:
        messages.success(request, _("Rebuild of %(alias)s queued.") % {"alias": alias})
        return
    outcome = result.return_value
    kind = outcome["status"]
    if kind == admin_tasks.REBUILT:
        count = outcome["indexed"]
        messages.success(
            request,
            ngettext(
                "%(alias)s rebuilt: %(count)d document in %(version)s.",
                "%(alias)s rebuilt: %(count)d documents in %(version)s.",
                count,
            )
            % {"alias": alias, "count": count, "version": outcome["version"]},
        )
    elif kind == admin_tasks.IN_PROGRESS:
        messages.warning(
            request,
            _("Another rebuild of %(alias)s is running; this one did not start.")
            % {"alias": alias},
        )
    elif kind == admin_tasks.FAULT:
        messages.error(
            request,
            _(
                "The rebuild of %(alias)s failed: the search cluster did not answer "
                "(%(error)s). The index was left as it was."
            )
            % {"alias": alias, "error": outcome["error"]},
        )
    else:
        messages.error(
            request,
            _("The rebuild of %(alias)s did not run (%(status)s).")
            % {"alias": alias, "status": kind},
        )
