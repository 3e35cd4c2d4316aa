"""Fixtures of the panorama's tests."""

import pytest
from wagtail.models import Site

from cobioe_cms.panorama.models import PanoramaPage


@pytest.fixture
def panorama(db):
    """The panorama page, published under the site's root."""
    home = Site.objects.get(is_default_site=True).root_page
    page = PanoramaPage(title="Panorama", slug="panorama")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page
