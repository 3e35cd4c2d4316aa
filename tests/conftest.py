import json
import os

import pytest
from opensearchpy import OpenSearch

from cobioe_cms.core.taxonomy_loader import load_taxonomies
from cobioe_cms.demo.site_setup import ensure_site


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the taxonomies and the site's pages."""
    with django_db_blocker.unblock():
        load_taxonomies()
        ensure_site(site_root=True)


@pytest.fixture
def cartography(db):
    from cobioe_cms.actors.models import CartographyPage

    return CartographyPage.objects.get()


@pytest.fixture
def editor(db):
    """A member in the Editors group, who works in the Wagtail admin: a verified e-mail
    address, neither staff nor superuser."""
    from tests.factories import MemberFactory

    return MemberFactory(username="edith", email="edith@cobioe.eu", groups=["Editors"])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and Wagtail's caches live in the cache: no test inherits another's
    (nor the panorama's generation, which a process trusts for a second once read)."""
    from django.core.cache import cache

    from cobioe_cms.panorama.statistics import forget_generation

    cache.clear()
    forget_generation()
    yield
    cache.clear()
    forget_generation()


@pytest.fixture(autouse=True)
def _default_language():
    """A request to a /fr/ URL leaves French active in the thread (the locale middleware
    activates it and nothing deactivates it): every test starts in the default
    language, whichever ran before it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def search_node_url() -> str:
    """URL of a real OpenSearch node (tests/search_node/start.sh), from
    COBIOE_TEST_SEARCH_URL. Skipped on a developer machine without one; a failure in CI
    (CI=true), which must run the node."""
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


# -- search cluster -------------------------------------------------------------------

# Unique to this test session, so parallel runs and leftovers never meet.
SEARCH_PREFIX = f"test{os.getpid()}"


@pytest.fixture
def search_cluster(search_node_url, settings):
    """Point the app at the real node under a session-unique prefix; drop every index
    the test created."""
    settings.COBIOE_SEARCH = {"URL": search_node_url, "INDEX_PREFIX": SEARCH_PREFIX, "TIMEOUT": 10}
    client = OpenSearch(hosts=[search_node_url], timeout=30)
    yield client
    client.indices.delete(
        index=f"{SEARCH_PREFIX}-*", allow_no_indices=True, ignore_unavailable=True
    )


@pytest.fixture
def no_search(settings):
    settings.COBIOE_SEARCH = {"URL": ""}


@pytest.fixture
def closed_port(settings):
    """A configured cluster that is down: nothing listens on the discard port."""
    settings.COBIOE_SEARCH = {
        "URL": "http://127.0.0.1:9",
        "INDEX_PREFIX": SEARCH_PREFIX,
        "TIMEOUT": 1,
    }


# -- a cache shared by workers ---------------------------------------------------------

SHARED_DB_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "test_shared_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}


@pytest.fixture(scope="session")
def _shared_db_cache_table(django_db_setup, django_db_blocker):
    """The table, created once outside any test's transaction (SQLite cannot change
    its schema inside one); each test's rows roll back with the test."""
    from django.core.management import call_command
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(CACHES=SHARED_DB_CACHE):
        call_command("createcachetable", verbosity=0)


@pytest.fixture
def shared_db_cache(_shared_db_cache_table, db):
    """The site's production cache (Django's database cache) instead of the suite's
    local-memory one, for tests of limits that must hold across workers."""
    from django.core.cache import cache
    from django.test import override_settings

    with override_settings(CACHES=SHARED_DB_CACHE):
        cache.clear()
        yield cache


# -- the session's site, for transactional tests (a live server) -------------------------
# One definition for every module (the browser tests, the API's schemathesis run): a
# module importing its own copy would serialize the database when it first runs, after
# other modules' transactional tests emptied it.


@pytest.fixture(scope="session")
def site_snapshot(django_db_setup, django_db_blocker) -> list[dict]:
    """The test database as the session set it up (the migrations' rows, taxonomies,
    site pages), serialized before the browser starts, once for the session: a second
    browser module would otherwise serialize the database the first one's
    transactional tests emptied.

    The live server needs transactional tests, whose database is emptied after each
    one; ``restored_site`` loads this snapshot back. Django's own ``serialized_rollback``
    cannot do it here: once Playwright's event loop runs, ``django.db.connection`` is a
    different object (asgiref's Local follows the loop's context) that lacks the
    contents Django serialized when it created the database.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        return json.loads(connection.creation.serialize_db_to_string())


@pytest.fixture
def restored_site(site_snapshot, transactional_db) -> None:
    """The snapshot, loaded into an empty database.

    The flush that ended the previous test recreated content types (post_migrate)
    under other ids: empty the tables again without that, as ``serialized_rollback``
    does, and keep the sequences counting past the snapshot's ids (PostgreSQL).
    Content types load first: building a Wagtail page, even from the snapshot,
    looks its content type up and creates it, under a new id, if it is missing.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core import serializers
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command(
        "flush",
        database=connection.alias,
        interactive=False,
        inhibit_post_migrate=True,
        reset_sequences=False,
        allow_cascade=True,
        verbosity=0,
    )
    ContentType.objects.clear_cache()
    content_types = [row for row in site_snapshot if row["model"] == "contenttypes.contenttype"]
    others = [row for row in site_snapshot if row["model"] != "contenttypes.contenttype"]
    with transaction.atomic(), connection.constraint_checks_disabled():
        for rows in (content_types, others):
            for row in serializers.deserialize("python", rows):
                row.save()
    connection.check_constraints()
