import os

import pytest
from opensearchpy import OpenSearch

# Unique to this test session, so parallel runs and leftovers never meet.
PREFIX = f"test{os.getpid()}"


@pytest.fixture
def search_cluster(search_node_url, settings):
    """Point the app at the real node under a session-unique prefix; drop every index
    the test created."""
    settings.COBIOE_SEARCH = {"URL": search_node_url, "INDEX_PREFIX": PREFIX, "TIMEOUT": 10}
    client = OpenSearch(hosts=[search_node_url], timeout=30)
    yield client
    client.indices.delete(index=f"{PREFIX}-*", allow_no_indices=True, ignore_unavailable=True)


@pytest.fixture
def no_search(settings):
    settings.COBIOE_SEARCH = {"URL": ""}


@pytest.fixture
def closed_port(settings):
    """A configured cluster that is down: nothing listens on the discard port."""
    settings.COBIOE_SEARCH = {"URL": "http://127.0.0.1:9", "INDEX_PREFIX": PREFIX, "TIMEOUT": 1}
