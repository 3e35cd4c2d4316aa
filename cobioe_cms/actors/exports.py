"""Exports of a filtered set of actors: CSV, JSON and GeoJSON.

They take the queryset built by :class:`~cobioe_cms.actors.filters.ActorFilter`, so an
export holds exactly the actors the directory lists for the same URL.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

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
CHUNK = 500


def _slugs(related) -> list[str]:
    return [term.slug for term in related.all()]


TERM_RELATIONS = (
    "stages",
    "modalities",
    "therapeutic_areas",
    "services",
    "scales",
    "expression_systems",
)


def export_queryset(qs):
    return qs.select_related("organisation_type", "gmp_status").prefetch_related(
        *TERM_RELATIONS, "keywords"
    )


def actor_records(qs, base_url: str) -> Iterator[dict]:
    """One plain dict per actor, with taxonomy slugs (stable identifiers)."""
    for actor in export_queryset(qs).iterator(chunk_size=CHUNK):
        yield {
            "name": actor.title,
            "acronym": actor.acronym,
            "url": f"{base_url}{actor.slug}/",
            "organisation_type": actor.organisation_type.slug if actor.organisation_type else "",
            "country": str(actor.country),
            "region": actor.region,
            "city": actor.city,
            "postcode": actor.postcode,
            "latitude": actor.latitude,
            "longitude": actor.longitude,
            "location_precision": actor.location_precision,
            **{relation: _slugs(getattr(actor, relation)) for relation in TERM_RELATIONS},
            "gmp_status": actor.gmp_status.slug if actor.gmp_status else "",
            "max_bioreactor_volume_litres": actor.max_bioreactor_volume,
            "size": actor.size_band,
            "year_founded": actor.year_founded,
            "website": actor.website,
            "contact_email": actor.contact_email,
            "contact_phone": actor.contact_phone,
            "keywords": sorted(tag.name for tag in actor.keywords.all()),
            "verified": actor.verified,
            "last_reviewed": actor.last_reviewed.isoformat() if actor.last_reviewed else None,
            "demo_data": actor.is_demo,
        }


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "|".join(value)
    value = str(value)
    # Spreadsheets run cells that start with these as formulas (CSV injection).
    if value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


def _filename(stem: str, extension: str) -> str:
    return f"{stem}-{timezone.now():%Y%m%d}.{extension}"


def csv_response(qs, base_url: str, stem: str = "cobioe-actors") -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # lets spreadsheet software detect UTF-8
        yield writer.writerow(COLUMNS)
        for record in actor_records(qs, base_url):
            yield writer.writerow([_csv_cell(record[c]) for c in COLUMNS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, "csv")}"'
    return response


def _json_stream(head: str, items: Iterator[dict], tail: str) -> Iterator[str]:
    yield head
    for index, item in enumerate(items):
        yield ("," if index else "") + json.dumps(item, ensure_ascii=False)
    yield tail


def json_response(qs, base_url: str, stem: str = "cobioe-actors") -> StreamingHttpResponse:
    head = json.dumps({"count": qs.count()})[:-1] + ', "actors": ['
    response = StreamingHttpResponse(
        _json_stream(head, actor_records(qs, base_url), "]}"),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, "json")}"'
    return response


def _feature(record: dict) -> dict:
    geometry = None
    if record["latitude"] is not None and record["longitude"] is not None:
        geometry = {"type": "Point", "coordinates": [record["longitude"], record["latitude"]]}
    properties = {k: v for k, v in record.items() if k not in {"latitude", "longitude"}}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def geojson_response(qs, base_url: str, stem: str = "cobioe-actors") -> StreamingHttpResponse:
    features = (_feature(record) for record in actor_records(qs, base_url))
    response = StreamingHttpResponse(
        _json_stream('{"type": "FeatureCollection", "features": [', features, "]}"),
        content_type="application/geo+json",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, "geojson")}"'
    return response
