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
