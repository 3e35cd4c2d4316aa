"""A workbook whose declared size is huge (its last cell at row 1,048,576) is read in a
bounded walk: the reader stops after a long run of empty rows, never walks past
MAX_SHEET_ROWS, and tells the editor where it stopped."""

import time

import pytest
from django.urls import reverse
from openpyxl import Workbook

from cobioe_cms.onboarding import reader
from cobioe_cms.onboarding.models import ActorImport
from cobioe_cms.onboarding.reader import ImportFileError, read_upload

from .import_files import upload

LAST_EXCEL_ROW = 1_048_576


def workbook_bytes(tmp_path, cells: dict[str, str], rows=()) -> bytes:
    """A workbook written to disk by openpyxl, as the import files are generated."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for reference, value in cells.items():
        sheet[reference] = value
    path = tmp_path / "sheet.xlsx"
    workbook.save(path)
    return path.read_bytes()


def far_cell_file(tmp_path) -> bytes:
    return workbook_bytes(
        tmp_path,
        {f"A{LAST_EXCEL_ROW}": "stray"},
        rows=[["name", "country"], ["Lyon Biologics", "FR"], ["Berlin Vectors", "DE"]],
    )


def test_a_cell_at_the_last_excel_row_does_not_walk_a_million_rows(tmp_path):
    content = far_cell_file(tmp_path)
    # The sheet does declare the whole height: what the old reader trusted.
    assert f"A1:B{LAST_EXCEL_ROW}".encode() in _sheet_xml(content)

    started = time.perf_counter()
    table = read_upload(upload("far.xlsx", content))
    elapsed = time.perf_counter() - started

    assert elapsed < 2, f"reading took {elapsed:.2f} s"
    assert table.headers == ["name", "country"]
    assert [row.cells for row in table.rows] == [
        ["Lyon Biologics", "FR"],
        ["Berlin Vectors", "DE"],
    ]
    # Three rows of data, then MAX_BLANK_ROWS empty rows, and no further.
    assert table.rows_scanned == 3 + reader.MAX_BLANK_ROWS
    assert table.notes == [
        "Reading stopped at row 1,003 of the sheet: the 1,000 rows above it are empty. "
        "Anything further down was ignored."
    ]


def test_rows_separated_by_short_gaps_are_all_read(tmp_path):
    gap = reader.MAX_BLANK_ROWS - 1
    content = workbook_bytes(
        tmp_path,
        {"A1": "name", "A2": "First", f"A{3 + gap}": "After a gap", f"A{4 + 2 * gap}": "Last"},
    )
    table = read_upload(upload("gaps.xlsx", content))
    assert [(row.line, row.cells) for row in table.rows] == [
        (2, ["First"]),
        (3 + gap, ["After a gap"]),
        (4 + 2 * gap, ["Last"]),
    ]
    assert table.notes == []
    assert table.rows_scanned == 4 + 2 * gap


def test_data_spread_beyond_the_walk_limit_is_refused(tmp_path):
    """Short gaps all the way down: no long empty run, so the hard bound refuses."""
    step = reader.MAX_BLANK_ROWS // 2
    cells = {"A1": "name"}
    cells.update({f"A{row}": f"Org {row}" for row in range(2, LAST_EXCEL_ROW, step)})
    content = workbook_bytes(tmp_path, cells)
    started = time.perf_counter()
    with pytest.raises(ImportFileError, match=r"data down to row 20,000 or further"):
        read_upload(upload("spread.xlsx", content))
    assert time.perf_counter() - started < 2


def test_the_editor_sees_where_reading_stopped(client, editor, cartography, tmp_path):
    client.force_login(editor)
    response = client.post(
        reverse("cobioe_actor_import:upload"),
        {"file": upload("far.xlsx", far_cell_file(tmp_path)), "cartography": cartography.pk},
        follow=True,
    )
    record = ActorImport.objects.get()
    assert [row["cells"] for row in record.rows] == [
        ["Lyon Biologics", "FR"],
        ["Berlin Vectors", "DE"],
    ]
    page = response.content.decode()
    assert "2 rows read from “far.xlsx”" in page
    assert "Reading stopped at row 1,003 of the sheet" in page


def _sheet_xml(content: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")[:2000]
