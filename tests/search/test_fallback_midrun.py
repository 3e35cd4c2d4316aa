"""A search node that stops while the site runs: the cartography keeps answering, from
the database, with the same content; the health endpoint says degraded; once the node
is back and re-indexed, and the breaker's pause is over, the cluster answers again.

Starts its own node (tests/search_node/start.sh on port 9231), since it must stop it.
Skipped on a machine without Java or without the built launcher jar; a failure in CI.
"""

import logging
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from cobioe_cms.demo.actors import generate_actors
from cobioe_cms.search import indexes
from tests.conftest import SEARCH_PREFIX

PORT = 9231
NODE_DIR = Path(__file__).resolve().parent.parent / "search_node"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
URL = "/cartography/?stage=production&sort=country&page=2"


def _node_script(name: str) -> None:
    """Run start.sh or stop.sh for PORT; raise with its output if it fails."""
    result = subprocess.run(  # noqa: S603 - our own scripts, fixed arguments
        ["bash", str(NODE_DIR / name), str(PORT)],  # noqa: S607 - bash from PATH
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SEARCH_NODE_START_TIMEOUT": "90"},
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{name} {PORT} failed:\n{result.stderr[-3000:]}")


@pytest.fixture
def own_node(settings):
    """A node of this test's own on PORT, stopped whatever happens."""
    java = Path(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else None
    missing = None
    if not (java and java.exists()) and shutil.which("java") is None:
        missing = "java not found"
    elif not (NODE_DIR / "target" / "search-node.jar").is_file():
        missing = "tests/search_node/target/search-node.jar not built (run start.sh once)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must be able to start a search node: {missing}")
        pytest.skip(missing)
    try:
        _node_script("start.sh")
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        _node_script("stop.sh")
        pytest.fail(str(error))
    settings.COBIOE_SEARCH = {
        "URL": f"http://127.0.0.1:{PORT}",
        "INDEX_PREFIX": SEARCH_PREFIX,
        "TIMEOUT": 5,
        "RETRY_AFTER": 1,
    }
    try:
        yield
    finally:
        _node_script("stop.sh")


def served(client, url: str) -> tuple[str, str, list[int]]:
    response = client.get(url)
    assert response.status_code == 200
    actors = [actor.pk for actor in response.context["page_obj"].object_list]
    return response["X-Search-Backend"], CSRF.sub("", response.content.decode()), actors


def search_warnings(caplog) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.name == "cobioe_cms.search" and r.levelno == logging.WARNING
    ]


@pytest.mark.django_db
def test_the_directory_survives_the_node_stopping(own_node, cartography, client, caplog):
    generate_actors(cartography, 60, seed=2)
    cartography.per_page = 5
    cartography.save_revision().publish()
    indexes.rebuild("actors")

    backend, html, actors = served(client, URL)
    assert backend == "cluster"
    assert len(actors) == 5
    assert client.get("/search/health/").json()["status"] == "ok"

    _node_script("stop.sh")
    with caplog.at_level(logging.WARNING, logger="cobioe_cms.search"):
        backend, html_after, actors_after = served(client, URL)
    assert backend == "database"
    assert (html_after, actors_after) == (html, actors)
    assert len(search_warnings(caplog)) == 1
    assert "cartography directory" in search_warnings(caplog)[0].getMessage()
    health = client.get("/search/health/").json()
    assert (health["status"], health["backend"]) == ("degraded", "database")

    # Back: a fresh node has no index until a rebuild (search_rebuild after an outage);
    # the breaker's pause (RETRY_AFTER, 1 s here) is over long before the node is up.
    _node_script("start.sh")
    indexes.rebuild("actors")
    time.sleep(1)
    backend, html_back, actors_back = served(client, URL)
    assert backend == "cluster"
    assert (html_back, actors_back) == (html, actors)
    assert client.get("/search/health/").json()["status"] == "ok"
