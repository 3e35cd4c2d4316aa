import pytest

from cobioe_cms.core.models import PortalHomePage
from cobioe_cms.news.demo import ensure_news


@pytest.fixture
def news_index(db):
    """The news section at /news/, as the demo command creates it."""
    return ensure_news(PortalHomePage.objects.get())
