"""The bulk open-data files: every published actor as CSV, JSON and GeoJSON.

:func:`build` writes them with the cartography's own export (the unfiltered export of
the live cartography, so the files and ``/cartography/export/...`` hold the same rows,
without the contact columns), then ``datapackage.json`` describing them (licence, date
of the data, counts, sizes). Each file is written to a temporary file and renamed over
the old one, so a download never reads half a file.

They are rebuilt in the background (:mod:`.tasks`) when a profile is published,
unpublished, moved, deleted, merged or imported (:func:`connect`), and by
``manage.py build_open_data``. A download reads the file and its description from disk
with no database query; before the first build it answers 503.

Licence: the French administration's Open Licence 2.0 (Etalab) by default, which asks
only for attribution and is compatible with CC BY and ODC-BY: industry and research
tools may reuse the data without the share-alike duty of the ODbL
(``COBIOE_OPEN_DATA_LICENCE`` and ``COBIOE_OPEN_DATA_LICENCE_URL`` change it).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cobioe_cms.actors.exports import FORMATS
from cobioe_cms.actors.filters import ActorFilter
from cobioe_cms.actors.models import ActorPage, CartographyPage
from cobioe_cms.core.conf import conf

STEM = "actors"
DESCRIPTOR = "datapackage.json"
PENDING_KEY = "cobioe-opendata:pending"
PENDING_SECONDS = 300  # a lost task blocks the next rebuilds at most this long
RETRY_AFTER = 300


def root() -> Path:
    return Path(conf.OPEN_DATA_ROOT or Path(settings.MEDIA_ROOT) / "opendata")


def licence() -> dict[str, str]:
    return {"name": str(conf.OPEN_DATA_LICENCE), "path": str(conf.OPEN_DATA_LICENCE_URL)}


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (a temporary file renamed over it)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _with_metadata(body: str, metadata: dict[str, Any]) -> str:
    """A JSON object's text with a ``metadata`` member first (GeoJSON's "foreign
    member"), without parsing the rest again."""
    member = json.dumps({"metadata": metadata}, ensure_ascii=False)[:-1]
    rest = body.lstrip()[1:].lstrip()
    return f"{member}, {rest}" if rest != "}" else f"{member}}}"


def build() -> dict[str, Any]:
    """Write the three files and their description; return the description."""
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    cartography = CartographyPage.objects.live().public().order_by("path").first()
    generated_at = timezone.now().replace(microsecond=0)
    metadata = {
        "title": "COBIOE: bioproduction actors in Europe",
        "licence": licence(),
        "generated_at": generated_at.isoformat(),
    }
    if cartography is None:
        queryset, base_url, count = ActorPage.objects.none(), "", 0
    else:
        queryset = ActorFilter(QueryDict(), cartography.actors()).queryset()
        base_url = cartography.get_full_url()
        count = queryset.count()
    resources = []
    for fmt, (render_file, media_type, extension) in FORMATS.items():
        body = render_file(queryset, base_url, False)
        if fmt != "csv":
            body = _with_metadata(body, metadata)
        data = body.encode("utf-8")
        name = f"{STEM}.{extension}"
        _write(folder / name, data)
        resources.append(
            {
                "name": f"{STEM}-{fmt}",
                "path": name,
                "format": fmt,
                "mediatype": media_type.split(";")[0],
                "bytes": len(data),
                "hash": hashlib.sha256(data).hexdigest(),
                "count": count,
            }
        )
    descriptor = {
        "name": "cobioe-actors",
        **metadata,
        "licenses": [licence()],
        "count": count,
        "resources": resources,
    }
    _write(folder / DESCRIPTOR, json.dumps(descriptor, indent=2, ensure_ascii=False).encode())
    return descriptor


# -- rebuilding in the background --------------------------------------------------


def schedule_build(**kwargs) -> None:
    """Queue one rebuild after the current transaction commits, unless one is already
    pending (a bulk publish of 500 profiles queues one task, not 500)."""
    if not cache.add(PENDING_KEY, 1, timeout=PENDING_SECONDS):
        return

    def enqueue() -> None:
        from .tasks import build_open_data

        build_open_data.enqueue()

    transaction.on_commit(enqueue)


def connect() -> None:
    """Rebuild the files after every change of the published actors (the signals
    :func:`cobioe_cms.panorama.statistics.connect` listens to)."""
    from django.db.models.signals import post_delete
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from cobioe_cms.actors.signals import actors_imported, actors_merged

    uid = "cobioe-panorama-opendata"
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(schedule_build, sender=ActorPage, dispatch_uid=uid)
    post_page_move.connect(schedule_build, dispatch_uid=uid)
    actors_imported.connect(schedule_build, dispatch_uid=uid)
    actors_merged.connect(schedule_build, dispatch_uid=uid)


# -- serving ---------------------------------------------------------------------


def read_descriptor() -> dict[str, Any] | None:
    try:
        return json.loads((root() / DESCRIPTOR).read_bytes())
    except (OSError, ValueError):
        return None


def not_built() -> HttpResponse:
    message = _("The open-data files are being prepared. Please try again in a few minutes.")
    response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def _link_header(request: HttpRequest, descriptor: dict[str, Any]) -> str:
    described_by = request.build_absolute_uri(reverse("cobioe_discovery:datapackage"))
    return (
        f'<{descriptor["licenses"][0]["path"]}>; rel="license", '
        f'<{described_by}>; rel="describedby"; type="application/json"'
    )


@require_safe
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    """One file, straight from disk: no database query, ETag and Last-Modified from
    the file (304 when the client's copy is current)."""
    if fmt not in FORMATS:
        raise Http404(_("No such open-data file: use actors.csv, actors.json or actors.geojson."))
    media_type, extension = FORMATS[fmt][1:]
    path = root() / f"{STEM}.{extension}"
    descriptor = read_descriptor()
    try:
        stat = path.stat()
    except OSError:
        stat = None
    if stat is None or descriptor is None:
        return not_built()
    etag = quote_etag(f"{stat.st_size:x}-{stat.st_mtime_ns:x}")
    last_modified = int(stat.st_mtime)
    if _not_modified(request, etag, last_modified):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            path.open("rb"), content_type=media_type, as_attachment=True, filename=path.name
        )
        response["Content-Disposition"] = (
            f'attachment; filename="cobioe-{STEM}-{descriptor["generated_at"][:10]}.{extension}"'
        )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "public, max-age=300"
    response["Link"] = _link_header(request, descriptor)
    response["X-Data-Generated-At"] = descriptor["generated_at"]
    response["X-Licence"] = descriptor["licenses"][0]["name"].encode("ascii", "replace").decode()
    return response


def _not_modified(request: HttpRequest, etag: str, last_modified: int) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in {tag.strip() for tag in if_none_match.split(",")} or if_none_match == "*"
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and last_modified <= since


@require_safe
def datapackage(request: HttpRequest) -> HttpResponse:
    """The files' description (a Frictionless Data Package): licence, date, sizes."""
    descriptor = read_descriptor()
    if descriptor is None:
        return not_built()
    response = JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """A page for people: what the files hold, their licence, date and sizes (before
    the first build, a message that they are being prepared)."""
    descriptor = read_descriptor()
    return render(
        request,
        "cobioe_panorama/opendata.html",
        {
            "descriptor": descriptor,
            "licence": licence(),
            "files": [
                {
                    **resource,
                    "url": reverse("cobioe_discovery:opendata_file", args=[resource["format"]]),
                }
                for resource in (descriptor or {}).get("resources", [])
            ],
        },
    )
