"""Turns an uploaded CSV or XLSX file into a header and rows of text.

Editors upload whatever their cluster sends them: CSV exported by Excel in cp1252 with
semicolons, UTF-8 with or without a byte-order mark, or an XLSX workbook. The reader
accepts those, and refuses everything else (other formats, binary data, malformed
quoting, files or tables that are too big) with a message an editor can act on, before
anything is stored. The uploaded file itself is never kept.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import logging
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_ROWS = 5_000
MAX_COLUMNS = 100
# A sheet's declared size is not trusted: a workbook whose last cell is at row 1,048,576
# would make openpyxl hand over a million empty rows (8 s of CPU). The reader stops
# after this many empty rows in a row (the table has ended) and never walks further
# than MAX_SHEET_ROWS rows down the sheet.
MAX_BLANK_ROWS = 1_000
MAX_SHEET_ROWS = 4 * MAX_ROWS
MAX_EXPANDED_SIZE = 60 * 1024 * 1024  # an XLSX of 5,000 rows x 100 columns is far less
CSV_EXTENSIONS = {".csv", ".txt", ".tsv"}
XLSX_EXTENSIONS = {".xlsx"}
DELIMITERS = (",", ";", "\t", "|")
# First bytes of formats people upload by mistake: what to tell them.
SIGNATURES = (
    (b"\xd0\xcf\x11\xe0", "old-excel"),
    (b"%PDF", "binary"),
    (b"MZ", "binary"),
    (b"\x7fELF", "binary"),
    (b"\x89PNG", "binary"),
    (b"\xff\xd8\xff", "binary"),
    (b"GIF8", "binary"),
    (b"\x1f\x8b", "binary"),
)


class ImportFileError(ValueError):
    """The file cannot be read; the message says why, for the editor."""


@dataclass
class SourceRow:
    """One data row: its number in the file (the header is row 1) and its cells."""

    line: int
    cells: list[str]
    problem: str = ""


@dataclass
class Table:
    headers: list[str]
    rows: list[SourceRow] = field(default_factory=list)
    file_type: str = "csv"
    encoding: str = ""
    delimiter: str = ""
    # What the editor should know about how the file was read (e.g. where reading stopped).
    notes: list[str] = field(default_factory=list)
    # Rows of the sheet walked through, empty ones included (XLSX).
    rows_scanned: int = 0


def read_upload(uploaded) -> Table:
    """Read a Django ``UploadedFile`` (or any object with ``name``, ``size``, ``read``)."""
    name = PurePath(uploaded.name or "").name
    extension = PurePath(name.lower()).suffix
    if extension not in CSV_EXTENSIONS | XLSX_EXTENSIONS:
        if extension == ".xls":
            raise ImportFileError(
                _("Old Excel files (.xls) are not supported: save the file as .xlsx or CSV.")
            )
        raise ImportFileError(
            _("“%(name)s” is not a CSV or XLSX file: upload a .csv or .xlsx file.")
            % {"name": name[:80]}
        )
    if uploaded.size is not None and uploaded.size > MAX_FILE_SIZE:
        raise ImportFileError(_too_big())
    data = uploaded.read(MAX_FILE_SIZE + 1)
    if len(data) > MAX_FILE_SIZE:
        raise ImportFileError(_too_big())
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if extension in XLSX_EXTENSIONS:
        return read_xlsx(data)
    return read_csv(data)


def _too_big() -> str:
    return _("The file is larger than %(size)d MB; split it into smaller files.") % {
        "size": MAX_FILE_SIZE // (1024 * 1024)
    }


# -- CSV ----------------------------------------------------------------------------


def read_csv(data: bytes) -> Table:
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            _("This file is a spreadsheet (XLSX) named like a CSV file: rename it to .xlsx.")
        )
    _check_signature(data)
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append((reader.line_num, cells))
                if len(records) > MAX_ROWS + 1:
                    raise ImportFileError(_too_many_rows())
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file is malformed near line %(line)d (%(error)s); check its quotes.")
            % {"line": reader.line_num, "error": error}
        ) from error
    table = build_table(records)
    table.encoding, table.delimiter = encoding, delimiter
    return table


def _check_signature(data: bytes) -> None:
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            if kind == "old-excel":
                raise ImportFileError(
                    _("This is an old Excel file (.xls): save it as .xlsx or CSV.")
                )
            raise ImportFileError(_("This file is not a CSV text file."))


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with: UTF-8 (with or without a byte-order
    mark) or UTF-16 with a mark, else Windows-1252, else Latin-1."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", data)]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", data)]
    else:
        if b"\x00" in data:
            raise ImportFileError(_("This file contains binary data, not CSV text."))
        candidates = [("utf-8", data), ("cp1252", data), ("latin-1", data)]
    for encoding, raw in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise ImportFileError(_("This file contains binary data, not CSV text."))
        return text, encoding
    raise ImportFileError(_("The file's text encoding could not be recognised; save it as UTF-8."))


def _looks_binary(text: str) -> bool:
    """Control characters other than tabs and line breaks betray a binary file."""
    sample = text[:65536]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\r\n\x0c")
    return "\x00" in sample or controls > max(2, len(sample) // 1000)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most, equally long, rows."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not widths or widths[0] < 2:
            continue
        consistent = sum(1 for w in widths if w == widths[0])
        score = (consistent, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _too_many_rows() -> str:
    return _("The file has more than %(max)s rows; split it into smaller files.") % {
        "max": f"{MAX_ROWS:,}"
    }


# -- XLSX ---------------------------------------------------------------------------


def read_xlsx(data: bytes) -> Table:
    """The first sheet of a workbook, cell values as text."""
    if not data.startswith(b"PK\x03\x04"):
        raise ImportFileError(_("This file is not a valid XLSX workbook."))
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise ImportFileError(_("This file is not a valid XLSX workbook.")) from error
    except Exception as error:  # openpyxl raises many kinds on corrupt XML
        logger.exception("Unreadable XLSX upload")
        raise ImportFileError(_("This file is not a valid XLSX workbook.")) from error
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        records, scanned, stopped_at = _sheet_records(sheet)
    except ImportFileError:
        raise
    except Exception as error:
        logger.exception("Unreadable XLSX sheet")
        raise ImportFileError(_("The first sheet of this workbook cannot be read.")) from error
    finally:
        workbook.close()
    table = build_table(records)
    table.file_type = "xlsx"
    table.rows_scanned = scanned
    if stopped_at:
        table.notes.append(
            _(
                "Reading stopped at row %(row)s of the sheet: the %(blank)s rows above it "
                "are empty. Anything further down was ignored."
            )
            % {"row": f"{stopped_at:,}", "blank": f"{MAX_BLANK_ROWS:,}"}
        )
    return table


def _sheet_records(sheet) -> tuple[list[tuple[int, list[str]]], int, int]:
    """The non-empty rows of ``sheet`` (number, cells), the number of rows walked, and
    the row where a run of MAX_BLANK_ROWS empty rows ended the reading (0 if none).

    The walk is bounded whatever the sheet declares: ``max_row`` stops openpyxl at
    MAX_SHEET_ROWS, and a long run of empty rows ends the table."""
    records: list[tuple[int, list[str]]] = []
    scanned = blank_run = 0
    rows = sheet.iter_rows(max_row=MAX_SHEET_ROWS, max_col=MAX_COLUMNS + 1, values_only=True)
    for number, values in enumerate(rows, start=1):
        scanned = number
        # The cheap test first: most rows walked past are filler of None.
        cells = [cell_text(v) for v in values] if any(v is not None for v in values) else []
        if not any(cells):
            blank_run += 1
            if blank_run >= MAX_BLANK_ROWS:
                return records, scanned, number
            continue
        blank_run = 0
        records.append((number, cells))
        if len(records) > MAX_ROWS + 1:
            raise ImportFileError(_too_many_rows())
    if scanned >= MAX_SHEET_ROWS:
        raise ImportFileError(
            _(
                "The sheet has data down to row %(row)s or further; an import reads at most "
                "%(max)s rows from the top of the sheet. Delete the empty rows between the "
                "data, or split the file."
            )
            % {"row": f"{MAX_SHEET_ROWS:,}", "max": f"{MAX_ROWS:,}"}
        )
    return records, scanned, 0


def _check_zip(data: bytes) -> None:
    """Refuse archives that would expand into far more than a sheet of 5,000 rows (a
    "zip bomb"): openpyxl reads the shared strings of a workbook whole."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise ImportFileError(_("This file is not a valid XLSX workbook.")) from error
    if expanded > MAX_EXPANDED_SIZE:
        raise ImportFileError(
            _("This workbook is too large once uncompressed; save its first sheet as CSV.")
        )


def cell_text(value) -> str:
    """A spreadsheet value as the text a person would type (2004.0 is "2004")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


# -- both ---------------------------------------------------------------------------


def build_table(records: list[tuple[int, list[str]]]) -> Table:
    """Header from the first non-empty row; rows padded to the header's width."""
    if not records:
        raise ImportFileError(_("The file is empty."))
    _line, header_cells = records[0]
    while header_cells and not header_cells[-1].strip():
        header_cells = header_cells[:-1]
    if len(header_cells) > MAX_COLUMNS:
        raise ImportFileError(_("The file has more than %(max)d columns.") % {"max": MAX_COLUMNS})
    headers = []
    for position, cell in enumerate(header_cells, start=1):
        label = " ".join(cell.split())[:100]
        if not label or label in headers:
            label = _("Column %(n)d") % {"n": position}
        headers.append(label)
    if len(records) == 1:
        raise ImportFileError(_("The file has a header row but no data rows."))
    width = len(headers)
    rows = []
    for line, cells in records[1:]:
        cells = [cell.strip() for cell in cells]
        problem = ""
        if any(cells[width:]):
            problem = _(
                "This row has %(found)d values but the header has %(width)d columns; "
                "a value probably contains an unquoted delimiter."
            ) % {"found": len(cells), "width": width}
        cells = (cells + [""] * width)[:width]
        rows.append(SourceRow(line=line, cells=cells, problem=problem))
    return Table(headers=headers, rows=rows)
