"""Editors manage sources and read ingested items in the admin; the command and the
task run the ingestion."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from cobioe_cms.core.models import Modality
from cobioe_cms.watch.ingest.tasks import ingest_sources
from cobioe_cms.watch.models import Source, WatchItem
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_fetch_limits")]

SOURCES = "/admin/cobioe_watch/source/"
ITEMS = "/admin/cobioe_watch/watchitem/"


def staff(username: str, group: str | None) -> User:
    return UserFactory(
        username=username, email=f"{username}@cobioe.eu", groups=[group] if group else []
    )


@pytest.fixture
def source(db):
    return Source.objects.create(
        name="EU Bioprod",
        url="https://feeds.example.org/rss",
        last_fetched_at=timezone.now(),
        last_error_at=timezone.now(),
        last_error="timed out: the server sent nothing for 10 s",
        consecutive_failures=2,
        items_fetched=17,
        etag='"abc"',
    )


@pytest.fixture
def item(source):
    return WatchItem.objects.create(
        source=source,
        title="CDMO expands in Ghent",
        url="https://feeds.example.org/a/1",
        published_at=timezone.now(),
        title_key="cdmo expands ghent",
        countries=["BE"],
    )


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_editors_manage_sources_and_see_their_health(client, source, group):
    client.force_login(staff("edith", group))

    menu = client.get("/admin/").content.decode()
    assert "Ingested items" in menu and SOURCES in menu
    listing = client.get(SOURCES).content.decode()
    assert "EU Bioprod" in listing and "timed out: the server sent nothing" in listing
    assert "17" in listing
    edit = client.get(f"{SOURCES}edit/{source.pk}/").content.decode()
    assert "Consecutive failures" in edit and "Last success" in edit
    assert 'name="etag"' not in edit and 'name="items_fetched"' not in edit

    response = client.post(
        f"{SOURCES}create/",
        {
            "name": "Veille FR",
            "url": "https://veille.example.fr/atom",
            "language": "fr",
            "active": "on",
            "modalities": [Modality.objects.get(slug="vaccines").pk],
            "countries": ["FR", "BE"],
        },
    )
    assert response.status_code == 302
    created = Source.objects.get(name="Veille FR")
    assert [m.slug for m in created.modalities.all()] == ["vaccines"]
    assert [c.code for c in created.countries] == ["BE", "FR"]
    assert created.last_fetched_at is None and created.items_fetched == 0

    assert client.post(f"{SOURCES}delete/{created.pk}/").status_code == 302
    assert not Source.objects.filter(pk=created.pk).exists()


def test_new_url_forgets_the_conditional_get_validators(client, source):
    client.force_login(staff("edith", "Editors"))
    data = {"name": source.name, "url": "https://moved.example.org/rss", "language": "en"}

    assert client.post(f"{SOURCES}edit/{source.pk}/", data).status_code == 302

    source.refresh_from_db()
    assert source.etag == "" and source.active is False  # unchecked box


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_items_are_read_only_for_editors(client, item, group):
    client.force_login(staff("edith", group))

    assert "CDMO expands in Ghent" in client.get(ITEMS).content.decode()
    inspect = client.get(f"{ITEMS}inspect/{item.pk}/").content.decode()
    assert "Belgium" in inspect and "CDMO expands in Ghent" in inspect
    assert client.get(f"{ITEMS}create/").status_code in (302, 403)
    assert client.get(f"{ITEMS}edit/{item.pk}/").status_code in (302, 403)
    assert client.post(f"{ITEMS}delete/{item.pk}/").status_code in (302, 403)
    assert WatchItem.objects.filter(pk=item.pk).exists()


def test_members_without_admin_access_see_nothing(client, source, item):
    client.force_login(staff("mona", None))
    for url in (SOURCES, f"{SOURCES}create/", ITEMS, f"{ITEMS}inspect/{item.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403) and "EU Bioprod" not in response.content.decode()


def test_command_now_prints_a_report_per_source(feed_server):
    Source.objects.create(name="Good", url=feed_server.serve("/a.xml", file="source_a.xml"))
    Source.objects.create(name="Broken", url=feed_server.url("/missing.xml"))
    out = StringIO()
    call_command("ingest_sources", "--now", stdout=out)

    text = out.getvalue()
    assert "Good: ok, 1 new" in text
    assert "Broken: ERROR HTTP 404" in text
    assert "2 sources, 1 new items, 1 failed." in text


def test_command_queues_the_task(feed_server):
    Source.objects.create(name="Good", url=feed_server.serve("/a.xml", file="source_a.xml"))
    out = StringIO()
    call_command("ingest_sources", stdout=out)

    # The test settings run tasks at once (immediate backend).
    assert "Ingestion task" in out.getvalue() and "SUCCESSFUL" in out.getvalue()
    assert WatchItem.objects.count() == 1


def test_task_result_sums_up_the_run(feed_server):
    Source.objects.create(name="Good", url=feed_server.serve("/a.xml", file="source_a.xml"))
    Source.objects.create(name="Broken", url=feed_server.url("/missing.xml"))

    result = ingest_sources.enqueue()

    assert result.return_value == {"sources": 2, "failed": 1, "new": 1, "duplicates": 0}
