"""Issue 9, items 10 and 14: the cartography's exports are no way to harvest contact
details or load the server, and their CSV neither runs formulas nor mangles numbers.

Limits and the export cache are exercised on the database cache (the site's default
shared cache), through real requests.
"""

import csv
import io
import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.spreadsheets import safe_cell
from cobioe_cms.onboarding.models import ActorImport
from tests.factories import ActorPageFactory, UserFactory

EMAIL = "contact@lyon-biologics.example"
PHONE = "+33 4 78 00 00 00"
FORMATS = ("csv", "json", "geojson")


@pytest.fixture
def lyon(cartography):
    return ActorPageFactory(
        parent=cartography,
        title="Lyon Biologics",
        acronym='=HYPERLINK("//evil.example")',
        contact_email=EMAIL,
        contact_phone=PHONE,
        latitude=47.21725,
        longitude=-1.55336,
    )


@pytest.fixture
def member(db):
    return UserFactory(username="marie", verified=True)


def export(client, fmt: str, query: str = "", **headers):
    return client.get(f"/cartography/export/{fmt}/{query}", **headers)


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def records(response, fmt: str) -> list[dict]:
    if fmt == "csv":
        return csv_rows(response)
    data = json.loads(response.content)
    if fmt == "json":
        return data["actors"]
    return [feature["properties"] for feature in data["features"]]


# -- item 10: contact details ----------------------------------------------------------


def test_anonymous_exports_have_no_contact_fields(client, lyon):
    for fmt in FORMATS:
        response = export(client, fmt)
        assert response.status_code == 200
        body = response.content.decode("utf-8-sig")
        assert EMAIL not in body and "78 00 00 00" not in body, fmt
        (record,) = records(response, fmt)
        assert record["name"] == "Lyon Biologics"
        assert "contact_email" not in record and "contact_phone" not in record, fmt


def test_a_members_exports_have_the_contact_fields(client, member, lyon):
    client.force_login(member)
    for fmt in FORMATS:
        (record,) = records(export(client, fmt), fmt)
        assert record["contact_email"] == EMAIL, fmt
        assert record["contact_phone"] == PHONE, fmt


def test_an_unverified_account_gets_the_public_export(client, lyon):
    user = UserFactory(username="eve", verified=False)
    client.force_login(user)
    (record,) = records(export(client, "json"), "json")
    assert "contact_email" not in record


def test_the_cache_never_hands_a_members_export_to_anyone_else(
    shared_db_cache, client, member, lyon
):
    anonymous = export(client, "csv")
    client.force_login(member)
    with_contacts = export(client, "csv")
    client.logout()
    again = export(client, "csv")

    assert "contact_email" not in csv_rows(anonymous)[0]
    assert csv_rows(with_contacts)[0]["contact_email"] == EMAIL
    assert EMAIL not in again.content.decode()
    # Nor may a browser or proxy cache keep the member's copy for someone else.
    assert "private" in with_contacts["Cache-Control"]
    assert "Cookie" in with_contacts["Vary"]


# -- item 10: limits and the cache -----------------------------------------------------


@override_settings(COBIOE_EXPORTS_PER_HOUR=3)
def test_the_export_after_the_limit_is_refused_with_429(shared_db_cache, client, lyon):
    answers = [export(client, fmt).status_code for fmt in ("csv", "json", "geojson")]
    refused = export(client, "csv", "?country=FR")

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "Too many exports from your address or account" in refused.content.decode()
    # The counts live in the shared (database) cache, where every worker reads them.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM test_shared_cache WHERE cache_key LIKE %s", ["%export:ip:%"]
        )
        assert cursor.fetchone()[0] >= 3
    # A forged X-Forwarded-For does not buy another three (no trusted proxy by default).
    assert export(client, "csv", HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429


@override_settings(COBIOE_EXPORTS_PER_HOUR=2, ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_each_client_has_its_own_limit(shared_db_cache, client, lyon):
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    first = [
        export(client, "csv", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code
        for _ in range(3)
    ]
    other = export(client, "csv", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)

    assert first == [200, 200, 429]
    assert other.status_code == 200


def test_members_are_limited_per_account(shared_db_cache, client, member, lyon):
    client.force_login(member)
    with override_settings(COBIOE_EXPORTS_PER_HOUR=1):
        assert export(client, "json").status_code == 200
        assert export(client, "json", REMOTE_ADDR="192.0.2.99").status_code == 429


def test_an_export_is_rendered_once_then_served_from_the_cache(shared_db_cache, client, lyon):
    first = export(client, "geojson")
    # A change that bypasses signals (a bulk write) is not seen: the copy is cached...
    ActorPage.objects.filter(pk=lyon.pk).update(title="Renamed in bulk")
    with CaptureQueriesContext(connection) as queries:
        cached = export(client, "geojson")

    assert cached.content == first.content
    assert records(cached, "geojson")[0]["name"] == "Lyon Biologics"
    # ...and serving it reads no actor's terms or keywords (the costly part).
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "actorpage_stages" not in sql and "actorpagetag" not in sql.lower()


def test_publishing_or_unpublishing_an_actor_refreshes_the_cached_exports(
    shared_db_cache, client, cartography, lyon
):
    assert [r["name"] for r in records(export(client, "json"), "json")] == ["Lyon Biologics"]

    lyon.title = "Lyon Biologics SA"
    lyon.save_revision().publish()
    assert [r["name"] for r in records(export(client, "json"), "json")] == ["Lyon Biologics SA"]

    newcomer = ActorPageFactory(parent=cartography, title="Nantes Vectors")
    names = {r["name"] for r in records(export(client, "json"), "json")}
    assert names == {"Lyon Biologics SA", "Nantes Vectors"}

    newcomer.unpublish()
    assert [r["name"] for r in records(export(client, "json"), "json")] == ["Lyon Biologics SA"]

    ActorPage.objects.get(pk=lyon.pk).delete()
    assert records(export(client, "json"), "json") == []


# -- item 14: CSV cells ---------------------------------------------------------------


def test_csv_escapes_formulas_but_not_numbers_or_phone_numbers(client, member, lyon):
    client.force_login(member)
    (row,) = csv_rows(export(client, "csv"))

    assert row["acronym"] == "'" + lyon.acronym  # text that would run: escaped
    assert row["longitude"] == "-1.55336"  # a number stays a number
    assert row["latitude"] == "47.21725"
    assert row["contact_phone"] == PHONE  # a phone number, untouched


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (-1.67431, "-1.67431"),
        ("-1.67431", "-1.67431"),
        ("+33 1 23 45 67 89", "+33 1 23 45 67 89"),
        ("+1 (555) 010-9999", "+1 (555) 010-9999"),
        (-12, "-12"),
        (None, ""),
        (["a", "b"], "a|b"),
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("+33 HYPERLINK", "'+33 HYPERLINK"),
        ("Bio=Tech", "Bio=Tech"),
    ],
)
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell


def test_the_import_report_csv_follows_the_same_rule(client, cartography):
    editor = UserFactory(username="edith", is_superuser=True)
    record = ActorImport.objects.create(
        uploaded_by=editor,
        file_name="list.csv",
        cartography=cartography,
        status=ActorImport.Status.APPLIED,
        headers=[],
        rows=[],
        report={
            "rows": [
                {"line": 2, "name": "=HYPERLINK(1)", "outcome": "invalid", "note": "-1.5"},
                {"line": 3, "name": "+33 Bio", "outcome": "invalid", "note": "-3"},
            ]
        },
    )
    client.force_login(editor)
    response = client.get(reverse("cobioe_actor_import:report_csv", args=[record.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert rows[1][1] == "'=HYPERLINK(1)" and rows[1][5] == "-1.5"
    assert rows[2][1] == "'+33 Bio" and rows[2][5] == "-3"
