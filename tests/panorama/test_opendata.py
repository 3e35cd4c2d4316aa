"""The bulk open-data files: built from the cartography's export, served from disk with
no database query, rebuilt in the background after a publication (issue 14)."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.panorama import opendata
from tests.factories import ActorPageFactory

LICENCE = "Open Licence 2.0 / Licence Ouverte 2.0 (Etalab)"


@pytest.fixture(autouse=True)
def open_data_root(settings, tmp_path):
    settings.COBIOE_OPEN_DATA_ROOT = str(tmp_path / "opendata")
    return tmp_path / "opendata"


@pytest.fixture
def actors(cartography):
    return [
        ActorPageFactory(
            parent=cartography,
            title="Lyon Bio",
            country="FR",
            stages=["production"],
            contact_email="contact@lyonbio.eu",
            latitude=45.75,
            longitude=4.85,
        ),
        ActorPageFactory(parent=cartography, title="Porto Cells", country="PT", city="Porto"),
        ActorPageFactory(parent=cartography, title="Berlin Vectors", country="DE", city="Berlin"),
        ActorPageFactory(parent=cartography, title="Hidden Draft", live=False),
    ]


def site_url(cartography):
    """Actor URLs in the files use the Site's address; the export the request's."""
    return cartography.get_full_url()


def normalise(text, cartography):
    return text.replace(site_url(cartography), "http://testserver/cartography/")


def test_unbuilt_files_answer_503_with_a_message(client, db):
    for path in ("/opendata/actors.csv", "/opendata/datapackage.json"):
        response = client.get(path)
        assert response.status_code == 503
        assert "being prepared" in response.content.decode()
        assert response["Retry-After"]
    page = client.get("/opendata/")
    assert page.status_code == 200 and "being prepared" in page.content.decode()
    assert client.get("/opendata/actors.xlsx").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "json", "geojson"])
def test_files_equal_the_cartography_export_of_all_actors(client, cartography, actors, fmt):
    call_command("build_open_data", stdout=io.StringIO())
    export = client.get(f"{cartography.url}export/{fmt}/").content.decode("utf-8")
    response = client.get(f"/opendata/actors.{fmt}")
    assert response.status_code == 200
    body = normalise(b"".join(response.streaming_content).decode("utf-8"), cartography)
    assert "contact@lyonbio.eu" not in body and "Hidden Draft" not in body
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
        assert rows == list(csv.DictReader(io.StringIO(export.lstrip("\ufeff"))))
        assert sorted(row["name"] for row in rows) == ["Berlin Vectors", "Lyon Bio", "Porto Cells"]
        assert response["X-Licence"] == LICENCE
        assert 'rel="license"' in response["Link"] and 'rel="describedby"' in response["Link"]
        assert "/opendata/datapackage.json" in response["Link"]
        return
    data, expected = json.loads(body), json.loads(export)
    metadata = data.pop("metadata")
    assert metadata["licence"]["name"] == LICENCE
    assert metadata["generated_at"] == response["X-Data-Generated-At"]
    assert data == expected
    items = data["actors"] if fmt == "json" else data["features"]
    assert len(items) == ActorPage.objects.live().public().count() == 3


def test_datapackage_and_index_describe_the_files(client, cartography, actors, open_data_root):
    opendata.build()
    descriptor = client.get("/opendata/datapackage.json").json()
    assert descriptor["count"] == 3
    assert descriptor["licenses"] == [
        {"name": LICENCE, "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
    ]
    sizes = {resource["path"]: resource["bytes"] for resource in descriptor["resources"]}
    assert sizes == {
        name: (open_data_root / name).stat().st_size
        for name in ("actors.csv", "actors.json", "actors.geojson")
    }
    html = client.get("/opendata/").content.decode()
    assert LICENCE in html and descriptor["generated_at"] in html
    assert 'href="/opendata/actors.geojson"' in html
    assert f"{sizes['actors.csv']:,}" in html


def test_downloads_cost_no_query_and_answer_304(client, cartography, actors):
    opendata.build()
    for fmt in ("csv", "json", "geojson"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/opendata/actors.{fmt}")
            b"".join(response.streaming_content)
        assert response.status_code == 200
        assert len(queries.captured_queries) == 0, queries.captured_queries
        assert response["Content-Disposition"].startswith("attachment; filename=")
        etag, last_modified = response["ETag"], response["Last-Modified"]
        with CaptureQueriesContext(connection) as queries:
            again = client.get(f"/opendata/actors.{fmt}", HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and len(queries.captured_queries) == 0
        since = client.get(f"/opendata/actors.{fmt}", HTTP_IF_MODIFIED_SINCE=last_modified)
        assert since.status_code == 304
        stale = client.get(f"/opendata/actors.{fmt}", HTTP_IF_NONE_MATCH='"other"')
        assert stale.status_code == 200


def test_build_query_count_does_not_grow_with_the_actors(cartography):
    def queries():
        with CaptureQueriesContext(connection) as context:
            opendata.build()
        return len(context.captured_queries)

    for n in range(5):
        ActorPageFactory(parent=cartography, title=f"Few {n}")
    opendata.build()
    few = queries()
    for n in range(25):
        ActorPageFactory(parent=cartography, title=f"Many {n}")
    assert queries() == few
    assert opendata.read_descriptor()["count"] == 30


def test_a_publication_rebuilds_the_files_once(
    client, cartography, actors, django_capture_on_commit_callbacks
):
    """Through the receivers PanoramaConfig.ready connects (opendata.connect)."""
    opendata.build()
    # The fixture's publications queued a rebuild whose transaction never committed (the
    # test's is rolled back): its flag would make the ones below look already pending.
    cache.delete(opendata.PENDING_KEY)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ActorPageFactory(parent=cartography, title="Gent Biologics", country="BE")
        actors[3].save_revision().publish()
    ours = [cb for cb in callbacks if cb.__module__ == opendata.__name__]
    # Two publications, one rebuild; none if PanoramaConfig.ready does not call
    # opendata.connect().
    assert len(ours) == 1, "no rebuild queued: is opendata.connect() called in ready()?"
    body = b"".join(client.get("/opendata/actors.json").streaming_content).decode()
    names = sorted(actor["name"] for actor in json.loads(body)["actors"])
    assert names == ["Berlin Vectors", "Gent Biologics", "Hidden Draft", "Lyon Bio", "Porto Cells"]
    # The task cleared its flag: the next change queues a new rebuild.
    with django_capture_on_commit_callbacks(execute=True):
        actors[0].unpublish()
    body = b"".join(client.get("/opendata/actors.json").streaming_content).decode()
    assert "Lyon Bio" not in body
