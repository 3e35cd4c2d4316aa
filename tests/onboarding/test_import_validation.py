"""Cleaning import rows: what is an error (the row is skipped), what is a warning (a
value is dropped), and how values are matched in English, French, by code or slug."""

import pytest

from cobioe_cms.onboarding.validation import Vocabulary, clean_row, parse_size


@pytest.fixture
def vocabulary(db):
    return Vocabulary()


def clean(vocabulary, default_country="", **raw):
    return clean_row({"title": "Some Bio", "country": "FR", **raw}, vocabulary, default_country)


def test_a_complete_row(vocabulary):
    row = clean(
        vocabulary,
        title="  Généthon  ",
        acronym="GNT",
        organisation_type="Laboratoire académique",
        website="www.genethon.fr",
        contact_email="contact@genethon.fr",
        city="Évry",
        country="France",
        stages="Recherche et développement | fill-finish",
        modalities="Gene therapies & viral vectors",
        therapeutic_areas="maladies rares; ONCOLOGY",
        services="Production de vecteurs viraux",
        year_founded="1990",
        size_band="200",
    )
    assert row.errors == []
    assert row.warnings == []
    values = row.values
    assert values["title"] == "Généthon"
    assert values["organisation_type"] == "academic-lab"
    assert values["website"] == "https://www.genethon.fr"
    assert values["country"] == "FR"
    assert values["stages"] == ["research-development", "fill-finish"]
    assert values["modalities"] == ["gene-therapies-viral-vectors"]
    assert values["therapeutic_areas"] == ["rare-diseases", "oncology"]
    assert values["services"] == ["viral-vector-production"]
    assert values["year_founded"] == 1990
    assert values["size_band"] == "50-249"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("FR", "FR"),
        ("fr", "FR"),
        ("FRA", "FR"),
        ("Allemagne", "DE"),
        ("germany", "DE"),
        ("Royaume-Uni", "GB"),
        ("UK", "GB"),
        ("Pays-Bas", "NL"),
        ("the Netherlands", "NL"),
        ("Suisse", "CH"),
        ("Czech Republic", "CZ"),
        ("Tchéquie", "CZ"),
        ("ESPAÑA", "ES"),
    ],
)
def test_countries_by_code_or_name(vocabulary, raw, code):
    row = clean(vocabulary, country=raw)
    assert row.values["country"] == code
    assert row.errors == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "The country is missing."),
        ("Atlantis", "Country “Atlantis” is unknown or not among the countries"),
        ("United States", "Country “United States” is unknown or not among the countries"),
        ("US", "Country “US” is unknown"),
    ],
)
def test_country_errors(vocabulary, raw, message):
    row = clean(vocabulary, country=raw)
    assert len(row.errors) == 1
    assert row.errors[0].startswith(message)


def test_default_country_fills_only_missing_countries(vocabulary):
    assert clean(vocabulary, "PT", country="").values["country"] == "PT"
    assert clean(vocabulary, "PT", country="Spain").values["country"] == "ES"
    assert clean(vocabulary, "PT", country="Mars").errors


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"title": "  "}, "The name is missing."),
        (
            {"website": "not a website"},
            "Website “https://not a website” is not a valid web address.",
        ),
        ({"website": "ftp://files.example.org"}, "is not a valid web address"),
        ({"contact_email": "someone@"}, "E-mail “someone@” is not a valid e-mail address."),
        ({"year_founded": "1700"}, "Year founded “1700” is not a year between 1800 and 2100."),
        ({"year_founded": "soon"}, "is not a year between 1800 and 2100"),
        ({"acronym": "A" * 31}, "Acronym is 31 characters long; the limit is 30."),
        ({"summary": "s" * 501}, "Summary is 501 characters long; the limit is 500."),
        ({"title": "T" * 256}, "Name is 256 characters long; the limit is 255."),
    ],
)
def test_errors_are_worded_for_editors(vocabulary, raw, message):
    row = clean(vocabulary, **raw)
    assert any(message in error for error in row.errors), row.errors


@pytest.mark.parametrize(
    ("raw", "message", "field", "kept"),
    [
        (
            {"organisation_type": "Spaceship"},
            "Organisation type “Spaceship” is unknown; left empty.",
            "organisation_type",
            None,
        ),
        (
            {"modalities": "Vaccines; Unobtainium; Telepathy"},
            "Modalities: “Unobtainium”, “Telepathy” unknown; ignored.",
            "modalities",
            ["vaccines"],
        ),
        ({"size_band": "huge"}, "Size “huge” is not understood", "size_band", ""),
    ],
)
def test_unknown_values_are_warnings_and_keep_the_row(vocabulary, raw, message, field, kept):
    row = clean(vocabulary, **raw)
    assert row.errors == []
    assert any(message in warning for warning in row.warnings), row.warnings
    assert row.values[field] == kept


def test_lenient_formats(vocabulary):
    row = clean(
        vocabulary,
        website="HTTP://Example.org/path",
        contact_email="mailto:hello@example.org",
        year_founded="01/02/1999",
        stages="production|production",
    )
    assert row.errors == []
    assert row.values["website"] == "HTTP://Example.org/path"
    assert row.values["contact_email"] == "hello@example.org"
    assert row.values["year_founded"] == 1999
    assert row.values["stages"] == ["production"]


@pytest.mark.parametrize(
    ("raw", "band"),
    [
        ("1-9", "1-9"),
        ("10–49 employees", "10-49"),
        ("50 - 249", "50-249"),
        ("1000+", "1000+"),
        ("1,000+", "1000+"),
        ("7", "1-9"),
        ("1 200", "1000+"),
        ("250", "250-999"),
        ("lots", None),
    ],
)
def test_size_bands(raw, band):
    assert parse_size(raw) == band
