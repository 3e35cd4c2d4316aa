"""Fixture files of the import tests (CSV/XLSX, good and malformed) and the helpers that
build files and existing actors for them."""

import csv
import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cobioe_cms.onboarding.apply import load_terms
from cobioe_cms.onboarding.create import build_actor, create_actors
from cobioe_cms.onboarding.models import ActorImport

FILES = Path(__file__).parent


def fixture_file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FILES / name).read_bytes())


def csv_bytes(rows, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, sheets=1) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    if sheets > 1:
        workbook.active.append(["first sheet wins"])
    sheet = workbook.active if sheets == 1 else workbook.create_sheet("data")
    if sheets > 1:
        workbook.move_sheet(sheet, offset=-1)
        workbook.active = 0
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def existing_actors(cartography, rows: list[dict], publish=True):
    """Actors created in bulk (as an import would) from cleaned-value dicts."""
    defaults = {"country": "FR", "title": ""}
    entries = [{"values": {**defaults, **row}} for row in rows]
    terms = load_terms(entries)
    actors = [build_actor(entry["values"], terms) for entry in entries]
    cartography.refresh_from_db()
    return create_actors(cartography, actors, None, publish)


def mapping_post(record: ActorImport, default_country="", **overrides) -> dict:
    """The mapping form as guessed, with ``overrides`` (field key -> column index)."""
    mapping = {**record.mapping, **overrides}
    data = {f"column_{i}": "" for i in range(len(record.headers))}
    for key, index in mapping.items():
        if index is not None:
            data[f"column_{index}"] = key
    data["default_country"] = default_country
    return data


def start_import(client, content: bytes, name="list.csv", default_country="") -> ActorImport:
    """Upload and confirm the guessed mapping; returns the analysed import."""
    response = client.post(reverse("cobioe_actor_import:upload"), {"file": upload(name, content)})
    assert response.status_code == 302, response.content.decode()[:3000]
    record = ActorImport.objects.latest("pk")
    response = client.post(
        reverse("cobioe_actor_import:mapping", args=[record.pk]),
        mapping_post(record, default_country),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    record.refresh_from_db()
    return record
