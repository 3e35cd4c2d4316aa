from pathlib import Path

import pytest
from django.conf import settings

from cobioe_cms.actors.site_setup import ensure_site
from cobioe_cms.core.taxonomy_loader import load_taxonomies


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the taxonomies and the site's pages."""
    with django_db_blocker.unblock():
        load_taxonomies(Path(settings.REPO_DIR) / "fixtures" / "taxonomies.json")
        ensure_site()


@pytest.fixture
def cartography(db):
    from cobioe_cms.actors.models import CartographyPage

    return CartographyPage.objects.get()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and Wagtail's caches live in the cache: no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def search_node_url() -> str:
    """URL of a real OpenSearch node (tests/search_node/start.sh), from
    COBIOE_TEST_SEARCH_URL. Skipped on a developer machine without one; a failure in CI
    (CI=true), which must run the node."""
    import os
    import urllib.request

    url = os.environ.get("COBIOE_TEST_SEARCH_URL", "").rstrip("/")
    in_ci = bool(os.environ.get("CI"))
    if not url:
        if in_ci:
            pytest.fail("CI must start a search node and set COBIOE_TEST_SEARCH_URL")
        pytest.skip("no search node: run tests/search_node/start.sh and set COBIOE_TEST_SEARCH_URL")
    try:
        with urllib.request.urlopen(f"{url}/_cluster/health", timeout=10) as response:  # noqa: S310
            response.read()
    except OSError as error:
        if in_ci:
            pytest.fail(f"search node at {url} unreachable: {error}")
        pytest.skip(f"search node at {url} unreachable: {error}")
    return url
