"""Exports of a filtered set of actors: CSV, JSON and GeoJSON.

They take the queryset built by :class:`~cobioe_cms.actors.filters.ActorFilter`, so an
export holds exactly the actors the directory lists for the same URL.

Exports are public, but not a way to harvest people's contact details or to load the
server: the contact e-mail and phone are only in members' exports, each client gets
``COBIOE_EXPORTS_PER_HOUR`` of them, and a rendered export is kept in the shared cache
(per format, filter state and audience) until an actor is published, unpublished,
moved or deleted, or EXPORT_CACHE_SECONDS pass (bulk loads that bypass signals, such
as the demo data, show within that time).
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
import zlib
from collections import defaultdict
from collections.abc import Iterator

from django.core.cache import cache
from django.db.models.signals import post_delete
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from cobioe_cms.core.conf import conf
from cobioe_cms.core.ratelimit import allow, client_ip
from cobioe_cms.core.spreadsheets import safe_cell
from cobioe_cms.core.vocabulary import TERM_RELATIONS

from .models.actor_page import ActorPage, ActorPageTag

COLUMNS = (
    "name",
    "acronym",
    "url",
    "organisation_type",
    "country",
    "region",
    "city",
    "postcode",
    "latitude",
    "longitude",
    "location_precision",
    "stages",
    "modalities",
    "therapeutic_areas",
    "services",
    "scales",
    "gmp_status",
    "expression_systems",
    "max_bioreactor_volume_litres",
    "size",
    "year_founded",
    "website",
    "contact_email",
    "contact_phone",
    "keywords",
    "verified",
    "last_reviewed",
    "demo_data",
)
# Personal contact data: in members' exports only (:func:`may_see_contacts`).
CONTACT_COLUMNS = ("contact_email", "contact_phone")
CHUNK = 1000
EXPORT_PERIOD = 3600
EXPORT_CACHE_SECONDS = 600
GENERATION_KEY = "cobioe-export-generation"


ROW_FIELDS = (
    "pk",
    "title",
    "acronym",
    "slug",
    "organisation_type__slug",
    "country",
    "region",
    "city",
    "postcode",
    "latitude",
    "longitude",
    "location_precision",
    "gmp_status__slug",
    "max_bioreactor_volume",
    "size_band",
    "year_founded",
    "website",
    "contact_email",
    "contact_phone",
    "verified",
    "last_reviewed",
    "is_demo",
)


def term_slugs(relation: str, ids: list[int], model: type = ActorPage) -> dict[int, list[str]]:
    """id -> slugs of its terms in one relation of ``model`` (actors, or any page with
    taxonomy relations, e.g. opportunities), in the taxonomy's order.

    Read from the through table with one query: prefetch_related builds a manager per
    actor and relation, which made a 10,000-actor export take seconds of Python.
    """
    m2m = model._meta.get_field(relation)
    through = m2m.remote_field.through
    source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    ordering = [f"{target}__{field}" for field in m2m.related_model._meta.ordering]
    terms: dict[int, list[str]] = defaultdict(list)
    rows = (
        through.objects.filter(**{f"{source}_id__in": ids})
        .order_by(*ordering)
        .values_list(f"{source}_id", f"{target}__slug")
    )
    for row_id, slug in rows:
        terms[row_id].append(slug)
    return terms


def _keywords_by_actor(actor_ids: list[int]) -> dict[int, list[str]]:
    keywords: dict[int, list[str]] = defaultdict(list)
    rows = (
        ActorPageTag.objects.filter(content_object_id__in=actor_ids)
        .order_by("tag__name")
        .values_list("content_object_id", "tag__name")
    )
    for actor_id, name in rows:
        keywords[actor_id].append(name)
    return keywords


def actor_records(qs, base_url: str, contacts: bool = False) -> Iterator[dict]:
    """One plain dict per actor, in the queryset's order, with taxonomy slugs (stable
    identifiers); the contact columns only when ``contacts``. Reads CHUNK actors at a
    time: 8 queries per chunk."""
    actor_ids = list(qs.values_list("pk", flat=True))
    for start in range(0, len(actor_ids), CHUNK):
        chunk = actor_ids[start : start + CHUNK]
        rows = {
            row["pk"]: row for row in ActorPage.objects.filter(pk__in=chunk).values(*ROW_FIELDS)
        }
        terms = {relation: term_slugs(relation, chunk) for relation in TERM_RELATIONS}
        keywords = _keywords_by_actor(chunk)
        for actor_id in chunk:
            row = rows.get(actor_id)
            if row is None:  # deleted between the two queries
                continue
            record = {
                "name": row["title"],
                "acronym": row["acronym"],
                "url": f"{base_url}{row['slug']}/",
                "organisation_type": row["organisation_type__slug"] or "",
                "country": row["country"],
                "region": row["region"],
                "city": row["city"],
                "postcode": row["postcode"],
                "latitude": row["latitude"],
                "longitude": row["longitude"],
                "location_precision": row["location_precision"],
                **{relation: terms[relation].get(actor_id, []) for relation in TERM_RELATIONS},
                "gmp_status": row["gmp_status__slug"] or "",
                "max_bioreactor_volume_litres": row["max_bioreactor_volume"],
                "size": row["size_band"],
                "year_founded": row["year_founded"],
                "website": row["website"],
                "contact_email": row["contact_email"],
                "contact_phone": row["contact_phone"],
                "keywords": keywords.get(actor_id, []),
                "verified": row["verified"],
                "last_reviewed": (
                    row["last_reviewed"].isoformat() if row["last_reviewed"] else None
                ),
                "demo_data": row["is_demo"],
            }
            if not contacts:
                for column in CONTACT_COLUMNS:
                    del record[column]
            yield record


class _Echo:
    def write(self, value: str) -> str:
        return value


def _filename(stem: str, extension: str) -> str:
    return f"{stem}-{timezone.now():%Y%m%d}.{extension}"


def columns(contacts: bool) -> tuple[str, ...]:
    return COLUMNS if contacts else tuple(c for c in COLUMNS if c not in CONTACT_COLUMNS)


def render_csv(qs, base_url: str, contacts: bool) -> str:
    writer = csv.writer(_Echo())
    header = columns(contacts)
    lines = ["\ufeff", writer.writerow(header)]  # the BOM lets spreadsheets detect UTF-8
    for record in actor_records(qs, base_url, contacts):
        lines.append(writer.writerow([safe_cell(record[c]) for c in header]))
    return "".join(lines)


def _json_array(items: Iterator[dict]) -> str:
    return ",".join(json.dumps(item, ensure_ascii=False) for item in items)


def render_json(qs, base_url: str, contacts: bool) -> str:
    actors = _json_array(actor_records(qs, base_url, contacts))
    return json.dumps({"count": qs.count()})[:-1] + f', "actors": [{actors}]}}'


def _feature(record: dict) -> dict:
    geometry = None
    if record["latitude"] is not None and record["longitude"] is not None:
        geometry = {"type": "Point", "coordinates": [record["longitude"], record["latitude"]]}
    properties = {k: v for k, v in record.items() if k not in {"latitude", "longitude"}}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def render_geojson(qs, base_url: str, contacts: bool) -> str:
    features = _json_array(_feature(r) for r in actor_records(qs, base_url, contacts))
    return f'{{"type": "FeatureCollection", "features": [{features}]}}'


# format -> (renderer, content type, file extension)
FORMATS = {
    "csv": (render_csv, "text/csv; charset=utf-8", "csv"),
    "json": (render_json, "application/json", "json"),
    "geojson": (render_geojson, "application/geo+json", "geojson"),
}


def may_see_contacts(user) -> bool:
    """Signed-in members with a verified e-mail address, and staff (their accounts
    may predate allauth's addresses), see the contact columns; nobody else does."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def _generation() -> str:
    return str(cache.get(GENERATION_KEY) or 0)


def invalidate_cached_exports(**kwargs) -> None:
    """Forget every cached export (an actor was published, unpublished, moved or
    deleted): a new generation makes the old keys unreachable, and they expire."""
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def _cache_key(fmt: str, contacts: bool, base_url: str, state: str) -> str:
    digest = hashlib.sha256(f"{base_url}?{state}".encode()).hexdigest()
    audience = "members" if contacts else "public"
    return f"cobioe-export:{_generation()}:{fmt}:{audience}:{digest}"


def too_many_exports() -> HttpResponse:
    message = _(
        "Too many exports from your address or account in the last hour. The data does "
        "not change that often: please try again later."
    )
    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(EXPORT_PERIOD)
    return response


def export_response(request: HttpRequest, actor_filter, base_url: str, fmt: str) -> HttpResponse:
    """The export of the actors ``actor_filter`` selects, in ``fmt``.

    Limited to ``COBIOE_EXPORTS_PER_HOUR`` per client (members: per account),
    cached for EXPORT_CACHE_SECONDS (a full export costs about a second of CPU), and
    with the contact columns for members only (:func:`may_see_contacts`).
    """
    user = request.user
    who = f"user:{user.pk}" if user.is_authenticated else f"ip:{client_ip(request)}"
    if not allow(f"export:{who}", conf.EXPORTS_PER_HOUR, EXPORT_PERIOD):
        return too_many_exports()
    render, content_type, extension = FORMATS[fmt]
    contacts = may_see_contacts(user)
    key = _cache_key(fmt, contacts, base_url, actor_filter.querystring())
    packed = cache.get(key)
    if packed is None:
        body = render(actor_filter.queryset(), base_url, contacts).encode("utf-8")
        cache.set(key, zlib.compress(body, 6), timeout=EXPORT_CACHE_SECONDS)
    else:
        body = zlib.decompress(packed)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename("cobioe-actors", extension)}"'
    )
    # Browsers and proxies must not keep a member's copy (contacts) for the next user.
    patch_cache_control(response, private=True, max_age=0)
    patch_vary_headers(response, ["Cookie"])
    return response


def connect() -> None:
    """Drop the cached exports whenever the set of published actors may change
    (connected in ``ActorsConfig.ready``)."""
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from .signals import actors_imported, actors_merged

    uid = "cobioe-actors-exports"
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(invalidate_cached_exports, sender=ActorPage, dispatch_uid=uid)
    post_page_move.connect(invalidate_cached_exports, dispatch_uid=uid)
    actors_imported.connect(invalidate_cached_exports, dispatch_uid=uid)
    actors_merged.connect(invalidate_cached_exports, dispatch_uid=uid)
