"""Which client talks to the cluster, and the service's fallback to the database."""

import logging
import socket
import threading
import time

import elasticsearch
import opensearchpy
import pytest
from django.core.exceptions import ImproperlyConfigured

from cobioe_cms.search import client as search_client
from cobioe_cms.search import service
from cobioe_cms.search.conf import search_settings
from cobioe_cms.search.health import check

from .conftest import PREFIX


@pytest.fixture(autouse=True)
def _fresh_clients():
    search_client._client.cache_clear()
    yield
    search_client._client.cache_clear()


def test_the_engine_setting_chooses_the_official_client(settings):
    settings.COBIOE_SEARCH = {"URL": "http://127.0.0.1:9200"}
    assert isinstance(search_client.get_client(), opensearchpy.OpenSearch)

    settings.COBIOE_SEARCH = {"URL": "http://127.0.0.1:9200", "ENGINE": "Elasticsearch"}
    assert isinstance(search_client.get_client(), elasticsearch.Elasticsearch)
    assert search_client.helpers().__name__ == "elasticsearch.helpers"


def test_an_unknown_engine_is_a_configuration_error(settings):
    settings.COBIOE_SEARCH = {"URL": "http://127.0.0.1:9200", "ENGINE": "solr"}
    with pytest.raises(ImproperlyConfigured, match="opensearch, elasticsearch"):
        search_settings()


def test_the_elasticsearch_client_refuses_an_opensearch_node_and_the_site_degrades(
    search_node_url, settings, caplog
):
    # The elasticsearch 8 client checks the server is Elasticsearch: pointed at the
    # OpenSearch node it refuses, which must read as a fault, not as a crash.
    settings.COBIOE_SEARCH = {
        "URL": search_node_url,
        "ENGINE": "elasticsearch",
        "INDEX_PREFIX": PREFIX,
    }
    with caplog.at_level(logging.WARNING, logger="cobioe_cms.search"):
        health = check()
        answer = service.answer(
            "test", cluster=lambda: search_client.get_client().info(), database=lambda: "db"
        )

    assert health["status"] == "degraded"
    assert answer.value == "db" and answer.backend == service.DATABASE
    assert "UnsupportedProductError" in caplog.text


def test_a_fault_sends_requests_to_the_database_for_a_while(closed_port, settings, caplog):
    settings.COBIOE_SEARCH = {**settings.COBIOE_SEARCH, "RETRY_AFTER": 60}
    calls = []

    def cluster():
        calls.append(1)
        return search_client.get_client().info()

    with caplog.at_level(logging.WARNING, logger="cobioe_cms.search"):
        first = service.answer("directory", cluster=cluster, database=lambda: "db")
        second = service.answer("directory", cluster=cluster, database=lambda: "db")

    assert (first.value, first.backend) == ("db", "database")
    assert (second.value, second.backend) == ("db", "database")
    assert len(calls) == 1  # the second request did not wait for another timeout
    assert "search cluster fault during directory: ConnectionError" in caplog.text
    assert check()["status"] == "degraded"

    service.reset_breaker()
    service.answer("directory", cluster=cluster, database=lambda: "db")
    assert len(calls) == 2  # after the pause the cluster is asked again


def test_the_cluster_answers_when_it_can(search_cluster):
    answer = service.answer(
        "test",
        cluster=lambda: search_client.get_client().cluster.health()["status"],
        database=lambda: "db",
    )
    assert answer.from_cluster
    assert answer.value in {"green", "yellow"}
    assert check()["status"] == "ok"


def test_database_errors_are_not_swallowed(search_cluster):
    def broken_database():
        raise ZeroDivisionError

    def cluster():
        raise opensearchpy.ConnectionTimeout("TIMEOUT", "slow", None)

    with pytest.raises(ZeroDivisionError):
        service.answer("test", cluster=cluster, database=broken_database)


def test_without_a_cluster_only_the_database_is_asked(no_search):
    def cluster():
        raise AssertionError("asked the cluster")

    answer = service.answer("test", cluster=cluster, database=lambda: 42)
    assert (answer.value, answer.backend) == (42, "database")


@pytest.fixture
def silent_node(settings):
    """A cluster that is up but too slow: a real socket that accepts connections and
    never answers."""
    server = socket.create_server(("127.0.0.1", 0))
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    port = server.getsockname()[1]
    settings.COBIOE_SEARCH = {"URL": f"http://127.0.0.1:{port}", "TIMEOUT": 0.5}
    yield
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def test_a_slow_cluster_times_out_into_the_database(silent_node, caplog):
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="cobioe_cms.search"):
        answer = service.answer(
            "slow", cluster=lambda: search_client.get_client().info(), database=lambda: "db"
        )

    assert (answer.value, answer.backend) == ("db", "database")
    assert time.monotonic() - started < 3
    assert "ConnectionTimeout" in caplog.text
