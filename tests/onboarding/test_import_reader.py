"""Reading uploaded lists: CSV dialects and encodings, XLSX, limits, refusals; and the
guess of which column feeds which field."""

import datetime

import pytest

from cobioe_cms.onboarding import reader
from cobioe_cms.onboarding.mapping import guess_mapping
from cobioe_cms.onboarding.reader import ImportFileError, read_upload

from .import_files import csv_bytes, fixture_file, upload, xlsx_bytes


def test_french_cp1252_semicolon_file():
    table = read_upload(fixture_file("clusters_fr_cp1252.csv"))
    assert table.encoding == "cp1252"
    assert table.delimiter == ";"
    assert table.headers[:3] == ["Nom", "Sigle", "Type"]
    assert table.headers[9] == "Région"
    assert len(table.rows) == 4
    first = table.rows[0]
    assert first.line == 2
    assert first.cells[0] == "Généthon"
    assert first.cells[8] == "Évry-Courcouronnes"


def test_utf8_with_byte_order_mark():
    table = read_upload(fixture_file("members_utf8_bom.csv"))
    assert table.encoding == "utf-8-sig"
    assert table.headers[0] == "Organisation name"  # no BOM glued to the first header
    assert table.rows[1].cells[0] == "Øresund Biologics AB"
    assert table.rows[1].cells[5] == "Malmö"


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8", ";"), ("utf-8", "\t"), ("cp1252", ";"), ("latin-1", "|")],
)
def test_encodings_and_delimiters(encoding, delimiter):
    content = csv_bytes(
        [["Nom", "Ville", "Pays"], ["Société Générale de Biologie", "Besançon", "France"]],
        delimiter=delimiter,
        encoding=encoding,
    )
    table = read_upload(upload("list.csv", content))
    assert table.delimiter == delimiter
    assert table.rows[0].cells == ["Société Générale de Biologie", "Besançon", "France"]


def test_utf16_with_mark_is_read():
    content = "name\tcountry\nÉcole Bio\tFR\n".encode("utf-16")
    table = read_upload(upload("export.txt", content))
    assert table.rows[0].cells == ["École Bio", "FR"]


def test_quoted_values_with_delimiters_and_line_breaks():
    content = b'name,summary,country\n"Lyon, Bio","Two lines\nof text",FR\n'
    table = read_upload(upload("list.csv", content))
    assert table.rows[0].cells == ["Lyon, Bio", "Two lines\nof text", "FR"]


def test_blank_rows_are_dropped_and_short_rows_padded():
    content = b"name,city,country\n\nA Bio,,\n,,\nB Bio\n"
    table = read_upload(upload("list.csv", content))
    assert [r.cells for r in table.rows] == [["A Bio", "", ""], ["B Bio", "", ""]]
    assert [r.line for r in table.rows] == [3, 5]


def test_rows_wider_than_the_header_are_flagged():
    table = read_upload(fixture_file("ragged_rows.csv"))
    assert "has 4 values but the header has 2 columns" in table.rows[0].problem
    assert table.rows[1].problem == ""


def test_empty_and_duplicate_headers_get_names():
    table = read_upload(upload("list.csv", b"name,,name\nA,b,c\n"))
    assert table.headers == ["name", "Column 2", "Column 3"]


def test_xlsx_first_sheet_values_as_text():
    content = xlsx_bytes(
        [
            ["Name", "Year founded", "Created", "Country", None],
            ["Genopole", 1998, datetime.datetime(1998, 5, 1), "FR", None],
            ["Float Bio", 2004.0, None, "DE", None],
            [None, None, None, None, None],
        ],
        sheets=2,
    )
    table = read_upload(upload("members.xlsx", content))
    assert table.file_type == "xlsx"
    assert table.headers == ["Name", "Year founded", "Created", "Country"]
    assert table.rows[0].cells == ["Genopole", "1998", "1998-05-01", "FR"]
    assert table.rows[1].cells == ["Float Bio", "2004", "", "DE"]
    assert len(table.rows) == 2


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "The file is empty."),
        ("header_only.csv", "a header row but no data rows"),
        ("malformed_quotes.csv", "malformed near line 2"),
        ("not_a_zip.xlsx", "not a valid XLSX workbook"),
        ("program.exe", "is not a CSV or XLSX file"),
        ("binary_named.csv", "not a CSV text file"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(name, message):
    with pytest.raises(ImportFileError, match=message):
        read_upload(fixture_file(name))


def test_unclosed_quote_is_malformed():
    with pytest.raises(ImportFileError, match="check its quotes"):
        read_upload(upload("list.csv", b'name,country\nA,FR\n"Unclosed,FR\n'))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.csv", b"name,country\nA\x00B,FR\n", "binary data"),
        ("list.csv", bytes(range(1, 32)) * 50, "binary data"),
        ("list.csv", xlsx_bytes([["name"], ["A"]]), "rename it to .xlsx"),
        ("old.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "Old Excel files"),
        ("old.csv", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "old Excel file"),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 200, "not a valid XLSX workbook"),
        ("   ", b"name\nA\n", "is not a CSV or XLSX file"),
        ("blank.csv", b"  \n \r\n", "The file is empty."),
    ],
)
def test_more_refusals(name, content, message):
    with pytest.raises(ImportFileError, match=message):
        read_upload(upload(name, content))


def test_oversized_file_is_refused_before_reading():
    content = b"name,country\n" + b"x" * (6 * 1024 * 1024)
    with pytest.raises(ImportFileError, match="larger than 5 MB"):
        read_upload(upload("big.csv", content))


def test_row_limit():
    rows = [["name", "country"]] + [[f"Org {i}", "FR"] for i in range(reader.MAX_ROWS)]
    assert len(read_upload(upload("max.csv", csv_bytes(rows))).rows) == 5_000
    rows.append(["One too many", "FR"])
    with pytest.raises(ImportFileError, match="more than 5,000 rows"):
        read_upload(upload("over.csv", csv_bytes(rows)))
    with pytest.raises(ImportFileError, match="more than 5,000 rows"):
        read_upload(upload("over.xlsx", xlsx_bytes(rows)))


def test_column_limit():
    with pytest.raises(ImportFileError, match="more than 100 columns"):
        read_upload(upload("wide.csv", csv_bytes([[f"c{i}" for i in range(101)], ["x"] * 101])))


def test_guessed_mapping_of_french_headers():
    table = read_upload(fixture_file("clusters_fr_cp1252.csv"))
    mapping = guess_mapping(table.headers)
    assert {key: table.headers[index] for key, index in mapping.items()} == {
        "title": "Nom",
        "acronym": "Sigle",
        "organisation_type": "Type",
        "website": "Site web",
        "contact_email": "Courriel",
        "contact_phone": "Téléphone",
        "address": "Adresse",
        "postcode": "Code postal",
        "city": "Ville",
        "region": "Région",
        "country": "Pays",
        "stages": "Chaîne de valeur",
        "modalities": "Modalités",
        "therapeutic_areas": "Aires thérapeutiques",
        "services": "Services",
        "summary": "Présentation",
        "year_founded": "Année de création",
        "size_band": "Effectif",
    }


def test_guessed_mapping_of_english_and_partial_headers():
    headers = ["ID", "Company name (legal)", "E-mail", "Web site", "Town", "Country code", "Notes"]
    mapping = guess_mapping(headers)
    assert mapping == {
        "title": 1,
        "contact_email": 2,
        "website": 3,
        "city": 4,
        "country": 5,
    }


def test_a_column_is_guessed_for_one_field_only():
    # "Adresse e-mail" is the e-mail, not the postal address.
    mapping = guess_mapping(["Nom", "Adresse e-mail", "Adresse"])
    assert mapping == {"title": 0, "contact_email": 1, "address": 2}


def test_xlsx_that_expands_enormously_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", b"0" * (70 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(ImportFileError, match="too large once uncompressed"):
        read_upload(upload("bomb.xlsx", buffer.getvalue()))
