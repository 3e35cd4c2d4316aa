"""The health endpoint and the rebuild command, with a node, a dead node and none."""

import logging
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cobioe_cms.search import client as search_client
from cobioe_cms.search import indexes
from cobioe_cms.search.health import check
from cobioe_cms.search.management.commands.search_rebuild import Command
from cobioe_cms.search.registry import registered_names

from .conftest import PREFIX

pytestmark = pytest.mark.urls("tests.search.urls")


def test_health_ok_with_the_node(search_cluster, client):
    response = client.get("/search/health/")

    assert response.status_code == 200
    data = response.json()
    assert data["backend"] == "cluster"
    assert data["status"] == "ok"
    assert data["detail"] in {"cluster status green", "cluster status yellow"}


def test_health_degraded_when_the_node_is_down(closed_port, client, caplog):
    with caplog.at_level(logging.WARNING, logger="cobioe_cms.search"):
        response = client.get("/search/health/")

    assert response.status_code == 200
    data = response.json()
    assert data["backend"] == "database"
    assert data["status"] == "degraded"
    assert "127.0.0.1:9" not in data["detail"]  # no internal address in public JSON
    assert any(r.name == "cobioe_cms.search" for r in caplog.records)


def test_not_configured_never_connects(no_search, client, monkeypatch):
    def no_client(*args, **kwargs):
        raise AssertionError("tried to build a client")

    monkeypatch.setattr(search_client.opensearchpy, "OpenSearch", no_client)
    monkeypatch.setattr(search_client.elasticsearch, "Elasticsearch", no_client)
    search_client._client.cache_clear()

    response = client.get("/search/health/")

    assert response.json() == {
        "backend": "database",
        "status": "not-configured",
        "detail": "no search cluster configured; the database answers searches",
    }
    assert check()["status"] == "not-configured"
    assert indexes.sync_many("actors", [1]) is None


def test_health_only_answers_get(no_search, client):
    assert client.post("/search/health/").status_code == 405


@pytest.mark.django_db
def test_rebuild_command(search_cluster, cartography):
    from io import StringIO

    out = StringIO()
    call_command(Command(), "actors", stdout=out)
    first = out.getvalue()
    call_command(Command(), stdout=out)  # no name: every registered index

    lines = out.getvalue().splitlines()
    assert len(lines) == 1 + len(registered_names())  # one line per index
    assert first.startswith(f"{PREFIX}-actors: ")
    assert "documents in" in first
    actors_again = [line for line in lines[1:] if line.startswith(f"{PREFIX}-actors: ")]
    assert len(actors_again) == 1 and "; removed " in actors_again[0]
    assert len(search_cluster.indices.get(index=f"{PREFIX}-actors-v*")) == 1


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("no_search", "No search cluster configured"),
        ("closed_port", "Search cluster unavailable"),
    ],
)
def test_rebuild_command_fails_without_a_cluster(fixture, message, request, capsys):
    request.getfixturevalue(fixture)

    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["manage.py", "search_rebuild"])

    assert exit_info.value.code == 1
    assert message in capsys.readouterr().err


def test_rebuild_command_rejects_an_unknown_index(no_search):
    with pytest.raises(CommandError, match="Unknown index: nope. Registered: .*actors"):
        call_command(Command(), "nope")


def test_rebuild_command_refuses_while_another_rebuild_runs(search_cluster, cartography):
    search_cluster.index(
        index=indexes.locks_index(),
        id="actors",
        body={"index": f"{PREFIX}-actors-v1", "started": datetime.now(UTC).isoformat()},
        refresh=True,
    )

    with pytest.raises(CommandError, match="still running; try again when it has finished"):
        call_command(Command(), "actors")
