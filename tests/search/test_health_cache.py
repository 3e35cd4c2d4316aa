"""Issue 9, item 15: anyone may call ``/search/health/``, but the site asks the cluster
at most once per HEALTH_CACHE_SECONDS, whoever calls and however often.

A small local HTTP server poses as the cluster and counts the health requests it gets.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cobioe_cms.search import client as search_client
from cobioe_cms.search import health

from .conftest import PREFIX

pytestmark = pytest.mark.urls("tests.search.urls")


class CountingCluster:
    """Answers ``GET /_cluster/health`` with a green status and counts the calls."""

    def __init__(self):
        self.calls = 0
        cluster = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the name http.server calls)
                if self.path.startswith("/_cluster/health"):
                    cluster.calls += 1
                    body = json.dumps({"cluster_name": "fake", "status": "green"}).encode()
                    self.send_response(200)
                else:
                    body = b"{}"
                    self.send_response(404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def counting_cluster(settings):
    cluster = CountingCluster()
    settings.COBIOE_SEARCH = {"URL": cluster.url, "INDEX_PREFIX": PREFIX, "TIMEOUT": 5}
    search_client._client.cache_clear()
    yield cluster
    cluster.close()
    search_client._client.cache_clear()


def test_many_anonymous_calls_reach_the_cluster_once(shared_db_cache, counting_cluster, client):
    answers = [client.get("/search/health/") for _ in range(25)]

    assert all(a.status_code == 200 for a in answers)
    assert {a.json()["status"] for a in answers} == {"ok"}
    assert counting_cluster.calls == 1
    # The answer is kept in the shared cache, where the other workers find it too.
    assert any(key.startswith("cobioe-search-health:") for key in cached_keys())


def test_the_cluster_is_asked_again_once_the_answer_is_old(
    shared_db_cache, counting_cluster, client, monkeypatch
):
    # The database cache keeps expiry times to the second (truncated): a 1 s answer
    # could be gone before the second call on a busy machine, hence 3 s.
    monkeypatch.setattr(health, "HEALTH_CACHE_SECONDS", 3)
    client.get("/search/health/")
    client.get("/search/health/")
    assert counting_cluster.calls == 1

    time.sleep(4.1)
    client.get("/search/health/")
    assert counting_cluster.calls == 2


def cached_keys():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM test_shared_cache")
        # Django stores "<prefix>:<version>:<key>"; the prefix is empty here.
        return [row[0].split(":", 2)[2] for row in cursor.fetchall()]
