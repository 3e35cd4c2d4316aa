"""The import as an editor uses it in the admin: upload -> mapping -> preview -> apply
-> report; cancelling; all-or-nothing; and who may do it."""

import csv
import io

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.actors.signals import actors_imported
from cobioe_cms.onboarding.models import ActorImport
from tests.factories import ActorPageFactory, UserFactory

from .import_files import (
    FILES,
    csv_bytes,
    mapping_post,
    start_import,
    upload,
    xlsx_bytes,
)

FR_FILE = (FILES / "clusters_fr_cp1252.csv").read_bytes()


def preview_url(record):
    return reverse("cobioe_actor_import:preview", args=[record.pk])


def decisions_post(record, **extra):
    """The preview form as shown: every row's current decision, on one page."""
    from cobioe_cms.onboarding.analysis import decision_of

    data = {
        f"row-{i}": decision_of(record.analysis, record.decisions, i)
        for i in range(len(record.analysis))
    }
    return {**data, **extra}


@pytest.fixture
def yposkesi(cartography):
    return ActorPageFactory(
        parent=cartography,
        title="Yposkesi",
        slug="yposkesi",
        city="Corbeil-Essonnes",
        website="",
        organisation_type="cdmo",
        stages=["research-development"],
    )


def test_full_flow_creates_merges_and_reports(editor_client, editor, yposkesi, cartography):
    response = editor_client.get(reverse("cobioe_actor_import:upload"))
    assert response.status_code == 200
    response = editor_client.post(
        reverse("cobioe_actor_import:upload"),
        {"file": upload("clusters.csv", FR_FILE), "cartography": cartography.pk},
    )
    record = ActorImport.objects.get()
    assert response["Location"] == reverse("cobioe_actor_import:mapping", args=[record.pk])
    assert record.uploaded_by == editor and record.status == "preview"
    assert len(record.rows) == 4

    mapping_page = editor_client.get(response["Location"]).content.decode()
    assert '<option value="country" selected>' in mapping_page
    assert "e.g. Généthon · Yposkesi SAS · Institut Mérieux Formation" in mapping_page

    response = editor_client.post(response["Location"], mapping_post(record))
    assert response["Location"] == preview_url(record)
    page = editor_client.get(preview_url(record)).content.decode()
    assert "4 rows: 1 invalid (they will be skipped), 1 look like" in page
    assert "The country is missing." in page
    assert f'<option value="merge:{yposkesi.pk}" selected>' in page
    assert "With the current decisions: 2 to create, 1 to merge" in page

    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    actors_imported.connect(receiver)
    try:
        response = editor_client.post(preview_url(record), decisions_post(record, action="apply"))
    finally:
        actors_imported.disconnect(receiver)
    assert response["Location"] == reverse("cobioe_actor_import:report", args=[record.pk])
    record.refresh_from_db()
    assert record.status == "applied"
    assert record.report["counts"] == {"created": 2, "merged": 1, "skipped": 0, "invalid": 1}
    assert [row["outcome"] for row in record.report["rows"]] == [
        "created",
        "merged",
        "created",
        "invalid",
    ]

    genethon = ActorPage.objects.get(title="Généthon")
    assert not genethon.live  # drafts unless "publish" was ticked
    assert genethon.owner == editor
    assert genethon.get_parent().pk == cartography.pk
    assert genethon.organisation_type.slug == "academic-lab"
    assert genethon.website == "https://www.genethon.fr"
    assert genethon.size_band == "50-249"
    assert set(genethon.stages.values_list("slug", flat=True)) == {
        "research-development",
        "clinical-manufacturing",
        "production",
    }
    # Found by its city, folded and stemmed (cobioe_cms.core.analysis).
    assert " evry " in genethon.search_text and " courcouronn " in genethon.search_text
    assert genethon.latest_revision.user == editor
    assert genethon.get_latest_revision_as_object().title == "Généthon"
    assert PageLogEntry.objects.filter(page=genethon, action="wagtail.create").exists()
    imf = ActorPage.objects.get(acronym="IMF")
    assert imf.country == "DE" and imf.location_precision == ""  # no Lyon in Germany
    assert editor_client.get(f"/admin/pages/{genethon.pk}/edit/").status_code == 200
    assert cartography.get_children().count() == 3
    # The tree stays consistent after the bulk insert.
    assert ActorPage.objects.get(pk=genethon.pk).get_parent().specific == cartography.specific

    yposkesi.refresh_from_db()
    assert yposkesi.live and not yposkesi.has_unpublished_changes
    assert yposkesi.website == "https://www.yposkesi.com"
    assert yposkesi.summary == "Façonnier de thérapies géniques."
    assert yposkesi.organisation_type.slug == "cdmo"
    assert set(yposkesi.stages.values_list("slug", flat=True)) == {
        "research-development",
        "production",
    }
    assert yposkesi.revisions.count() == 2
    assert yposkesi.latest_revision.user == editor

    assert [a.title for a in received[0]["actors"]] == ["Généthon", "Institut Mérieux Formation"]
    assert received[0]["merged"] == [yposkesi]
    assert received[0]["user"] == editor

    report = editor_client.get(reverse("cobioe_actor_import:report", args=[record.pk]))
    html = report.content.decode()
    assert "2 created, 1 merged into existing profiles, 0 skipped, 1 invalid." in html
    assert f"/admin/pages/{genethon.pk}/edit/" in html
    assert "1 new profile has a contact e-mail: its organisation can be invited" in html
    download = editor_client.get(reverse("cobioe_actor_import:report_csv", args=[record.pk]))
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == ["row", "name", "outcome", "actor_id", "admin_url", "note"]
    assert rows[1][:4] == ["2", "Généthon", "created", str(genethon.pk)]
    assert rows[4][2] == "invalid" and rows[4][5] == "The country is missing."

    listing = editor_client.get(reverse("cobioe_actor_import:index")).content.decode()
    assert "clusters.csv" in listing and "2 created, 1 merged, 0 skipped, 1 invalid" in listing


def test_publish_imported_profiles_and_xlsx(editor_client, cartography):
    content = xlsx_bytes(
        [
            ["Name", "Country", "City", "Modalities"],
            ["Published Bio", "Portugal", "Lisbon", "Vaccins"],
            ["Second Published Bio", "PT", "Porto", ""],
        ]
    )
    record = start_import(editor_client, content, "list.xlsx")
    editor_client.post(preview_url(record), decisions_post(record, action="apply", publish="on"))
    actor = ActorPage.objects.get(title="Published Bio")
    assert actor.live and actor.live_revision_id == actor.latest_revision_id
    assert actor.location_precision == "city"
    assert PageLogEntry.objects.filter(page=actor, action="wagtail.publish").exists()
    listing = editor_client.get("/cartography/?country=PT&modality=vaccines").content.decode()
    assert "Published Bio" in listing and "Second Published Bio" not in listing


def test_cancel_writes_nothing_but_the_status(editor_client, yposkesi):
    record = start_import(editor_client, FR_FILE)
    pages_before = ActorPage.objects.count()
    revision_before = ActorPage.objects.get(pk=yposkesi.pk).latest_revision_id
    response = editor_client.post(reverse("cobioe_actor_import:cancel", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "cancelled" and record.report == {}
    assert ActorPage.objects.count() == pages_before
    assert ActorPage.objects.get(pk=yposkesi.pk).latest_revision_id == revision_before
    # Nothing can be applied afterwards.
    response = editor_client.post(preview_url(record), decisions_post(record, action="apply"))
    assert ActorPage.objects.count() == pages_before
    assert editor_client.get(preview_url(record)).status_code == 302
    assert (
        editor_client.get(reverse("cobioe_actor_import:cancel", args=[record.pk])).status_code
        == 405
    )


def test_an_error_on_one_row_rolls_back_everything(editor_client, cartography):
    twin, other = ActorPageFactory(parent=cartography, title="Twin Bio"), None
    other = ActorPageFactory(parent=cartography, title="Other Bio", city="Paris")
    content = csv_bytes(
        [
            ["name", "country", "city", "summary"],
            ["New One Bio", "FR", "Lyon", ""],
            ["OTHER BIO", "FR", "Paris", "Fills the summary"],
            ["New Two Bio", "FR", "Nantes", ""],
            ["Twin Bio SAS", "FR", "Lyon", ""],
        ]
    )
    record = start_import(editor_client, content)
    assert record.analysis[3]["candidates"][0]["id"] == twin.pk
    # Between preview and apply, another editor deletes the actor row 5 merges into.
    twin.delete()
    count = ActorPage.objects.count()
    response = editor_client.post(
        preview_url(record), decisions_post(record, action="apply", publish="on"), follow=True
    )
    assert (
        "Row 5: the profile it should be merged into no longer exists" in response.content.decode()
    )
    assert ActorPage.objects.count() == count
    assert not ActorPage.objects.filter(title__startswith="New").exists()
    other.refresh_from_db()
    assert other.summary == "" and other.revisions.count() == 1
    record.refresh_from_db()
    assert record.status == "preview" and "counts" not in record.report
    assert record.report["error"].startswith("Row 5:")
    # The editor reviews again: the row now falls back to its default, and applies.
    record.analysis[3]["candidates"] = []
    record.save()
    editor_client.post(preview_url(record), decisions_post(record, action="apply"))
    record.refresh_from_db()
    assert record.report["counts"] == {"created": 3, "merged": 1, "skipped": 0, "invalid": 0}


def test_forged_decisions_are_rejected_and_change_nothing(editor_client, cartography, yposkesi):
    unrelated = ActorPageFactory(parent=cartography, title="Unrelated Vaccines")
    record = start_import(editor_client, FR_FILE)
    saved = dict(record.decisions)
    forged = [
        ({"row-1": f"merge:{unrelated.pk}"}, "is not one of the choices offered"),
        ({"row-1": f"merge:{cartography.pk}"}, "is not one of the choices offered"),
        ({"row-1": "merge:abc"}, "is not one of the choices offered"),
        ({"row-3": "create"}, "Row 5: “create” is not one of the choices offered"),
        ({"row-99": "create"}, "refers to a row that does not exist"),
        ({"row--1": "create"}, "refers to a row that does not exist"),
        ({"row-x": "skip"}, "refers to a row that does not exist"),
    ]
    for post, message in forged:
        response = editor_client.post(
            preview_url(record), {**decisions_post(record), **post, "action": "apply"}, follow=True
        )
        assert response.status_code == 200
        assert message in response.content.decode(), post
    record.refresh_from_db()
    assert record.status == "preview" and record.decisions == saved
    assert not ActorPage.objects.filter(title="Généthon").exists()
    # A tampered stored decision is never applied: the row falls back to its default.
    record.decisions = {"1": f"merge:{unrelated.pk}", "3": "create"}
    record.save()
    editor_client.post(preview_url(record), {"action": "apply"})
    record.refresh_from_db()
    assert record.report["rows"][1]["actor"] == yposkesi.pk
    assert record.report["rows"][3]["outcome"] == "invalid"
    assert ActorPage.objects.get(pk=unrelated.pk).revisions.count() == 1


def test_another_editors_import_cannot_be_touched(client, editor_client, yposkesi):
    record = start_import(editor_client, FR_FILE)
    other = UserFactory(username="other_editor", groups=["Editors"])
    client.force_login(other)
    for url, data in [
        (preview_url(record), decisions_post(record, action="apply")),
        (reverse("cobioe_actor_import:cancel", args=[record.pk]), {}),
        (reverse("cobioe_actor_import:mapping", args=[record.pk]), mapping_post(record)),
    ]:
        response = client.post(url, data, follow=True)
        assert "This import belongs to another editor; nothing was changed." in (
            response.content.decode()
        )
    record.refresh_from_db()
    assert record.status == "preview"
    assert not ActorPage.objects.filter(title="Généthon").exists()


def test_applying_twice_imports_once(editor_client):
    content = csv_bytes([["name", "country"], ["Once Bio", "FR"]])
    record = start_import(editor_client, content)
    post = decisions_post(record, action="apply")
    editor_client.post(preview_url(record), post)
    response = editor_client.post(preview_url(record), post, follow=True)
    assert "already applied or cancelled" in response.content.decode()
    assert ActorPage.objects.filter(title="Once Bio").count() == 1


def test_within_file_duplicates_are_skipped_by_default(editor_client):
    content = csv_bytes([["name", "country"], ["Repeat Bio", "FR"], ["REPEAT BIO SAS", "FR"]])
    record = start_import(editor_client, content)
    assert record.analysis[1]["same_as"] == 0
    page = editor_client.get(preview_url(record)).content.decode()
    assert "Like row 2 of this file" in page
    editor_client.post(preview_url(record), decisions_post(record, action="apply"))
    record.refresh_from_db()
    assert record.report["counts"] == {"created": 1, "merged": 0, "skipped": 1, "invalid": 0}


def test_pages_of_the_preview_keep_decisions_and_bulk_choices(editor_client, cartography):
    ActorPageFactory(parent=cartography, title="Paged Twin")
    rows = [["name", "country"]] + [[f"Paged Org {n:03d}", "FR"] for n in range(249)]
    rows.append(["Paged Twin Ltd", "FR"])
    record = start_import(editor_client, csv_bytes(rows))
    page = editor_client.get(preview_url(record)).content.decode()
    assert "Page 1 of 3" in page and 'name="row-99"' in page and 'name="row-100"' not in page
    response = editor_client.post(preview_url(record), {"row-5": "skip", "goto": "3", "page": "1"})
    assert response["Location"].endswith("page=3")
    page = editor_client.get(response["Location"]).content.decode()
    assert 'name="row-249"' in page
    editor_client.post(preview_url(record), {"action": "bulk", "bulk": "create"})
    record.refresh_from_db()
    assert record.decisions == {"5": "skip", "249": "create"}
    errors = editor_client.get(preview_url(record) + "?show=duplicates").content.decode()
    assert 'name="row-249"' in errors and 'name="row-0"' not in errors


def test_mapping_errors(editor_client):
    content = csv_bytes([["Label", "Pays", "Ville"], ["A Bio", "FR", "Lyon"]])
    editor_client.post(reverse("cobioe_actor_import:upload"), {"file": upload("l.csv", content)})
    record = ActorImport.objects.get()
    url = reverse("cobioe_actor_import:mapping", args=[record.pk])
    cases = [
        (mapping_post(record), "Choose the column that holds the names of the organisations."),
        (
            {"column_0": "title", "column_1": "country", "column_2": "country"},
            "“Country” is already fed by the column “Pays”.",
        ),
        ({"column_0": "title", "column_1": "password"}, "Select a valid choice."),
        ({"column_0": "title", "default_country": "US"}, "Select a valid choice."),
    ]
    for data, message in cases:
        response = editor_client.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode(), message
    record.refresh_from_db()
    assert record.analysis == []
    response = editor_client.post(url, {"column_0": "title", "default_country": "FR"})
    record.refresh_from_db()
    assert record.analysis[0]["values"]["country"] == "FR"  # "Pays" ignored: the default


BAD_UPLOADS = [
    ("empty.csv", b"", "The submitted file is empty."),
    ("binary.csv", b"\x00\x01\x02\x03" * 100, "binary data"),
    ("setup.exe", b"MZ\x90\x00" * 100, "is not a CSV or XLSX file"),
    ("huge.csv", b"name,country\n" + b"a,FR\n" * (6 * 1024 * 1024 // 5), "larger than 5 MB"),
    ("quotes.csv", b'name,country\n"Bad "quote",FR\n', "malformed near line 2"),
    ("fake.xlsx", b"name,country\nA,FR\n", "not a valid XLSX workbook"),
    ("zipped.xlsx", b"PK\x03\x04garbage" * 10, "not a valid XLSX workbook"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_UPLOADS)
def test_bad_uploads_give_a_message_and_store_nothing(editor_client, name, content, message):
    response = editor_client.post(
        reverse("cobioe_actor_import:upload"), {"file": upload(name, content)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ActorImport.objects.exists()


def test_too_many_rows_and_forged_upload_posts(editor_client, cartography):
    rows = [["name", "country"]] + [[f"Org {n}", "FR"] for n in range(5_001)]
    response = editor_client.post(
        reverse("cobioe_actor_import:upload"), {"file": upload("many.csv", csv_bytes(rows))}
    )
    assert "more than 5,000 rows" in response.content.decode()
    for data in (
        {},
        {"file": "not a file"},
        {"file": upload("a.csv", b"name\nA\n"), "cartography": "999999"},
        {"file": upload("a.csv", b"name\nA\n"), "cartography": "abc"},
    ):
        response = editor_client.post(reverse("cobioe_actor_import:upload"), data)
        assert response.status_code == 200
    assert not ActorImport.objects.exists()
    missing = reverse("cobioe_actor_import:preview", args=[424242])
    assert editor_client.get(missing).status_code == 404


ROLE_CASES = [
    ("anonymous", 302),
    ("member", 302),
    ("admin_only", 302),
    ("editor", 200),
    ("moderator", 200),
    ("superuser", 200),
]


@pytest.mark.parametrize(("role", "status"), ROLE_CASES)
def test_permission_matrix(client, db, role, status):
    users = {
        "member": lambda: UserFactory(username="member", email="m@example.org"),
        "admin_only": lambda: UserFactory(username="admin_only", perms=["access_admin"]),
        "editor": lambda: UserFactory(username="editor", groups=["Editors"]),
        "moderator": lambda: UserFactory(username="moderator", groups=["Moderators"]),
        "superuser": lambda: UserFactory(username="root", is_superuser=True),
    }
    if role in users:
        client.force_login(users[role]())
    for name in ("index", "upload", "duplicates"):
        response = client.get(reverse(f"cobioe_actor_import:{name}"))
        assert response.status_code == status, (role, name)
    response = client.post(
        reverse("cobioe_actor_import:upload"),
        {"file": upload("a.csv", b"name,country\nA Bio,FR\n")},
    )
    assert ActorImport.objects.exists() == (status == 200)
    home = client.get("/admin/")
    menu = home.content.decode()
    assert ("Import organisations" in menu) == (status == 200)


def test_an_unexpected_failure_writes_nothing_and_reopens_the_import(editor_client):
    content = csv_bytes([["name", "country"], ["Doomed Bio", "FR"], ["Doomed Too", "DE"]])
    record = start_import(editor_client, content)

    def broken_receiver(sender, **kwargs):
        raise RuntimeError("a listener's bug")

    actors_imported.connect(broken_receiver)
    try:
        response = editor_client.post(
            preview_url(record), decisions_post(record, action="apply"), follow=True
        )
    finally:
        actors_imported.disconnect(broken_receiver)
    assert "The import failed unexpectedly; nothing was written." in response.content.decode()
    assert not ActorPage.objects.filter(title__startswith="Doomed").exists()
    record.refresh_from_db()
    assert record.status == "preview"


def test_an_import_being_applied_is_locked(editor_client):
    record = start_import(editor_client, csv_bytes([["name", "country"], ["Busy Bio", "FR"]]))
    ActorImport.objects.filter(pk=record.pk).update(status=ActorImport.Status.APPLYING)
    report = editor_client.get(reverse("cobioe_actor_import:report", args=[record.pk]))
    assert "This import is being applied" in report.content.decode()
    response = editor_client.post(preview_url(record), decisions_post(record, action="apply"))
    assert response["Location"] == reverse("cobioe_actor_import:report", args=[record.pk])
    cancel = editor_client.post(reverse("cobioe_actor_import:cancel", args=[record.pk]))
    assert cancel.status_code == 302
    record.refresh_from_db()
    assert record.status == ActorImport.Status.APPLYING
    assert not ActorPage.objects.filter(title="Busy Bio").exists()
