"""The number of SQL queries per news page does not grow with the number of items."""

import io

import pytest
from django.core.files.images import ImageFile
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.images.models import Image

from cobioe_cms.actors.models import CartographyPage
from tests.factories import ActorPageFactory, NewsPageFactory

URLS = (
    "/news/",
    "/news/tag/funding/",
    "/news/topic/stage/production/",
    "/news/topic/country/FR/",
    "/news/feed/rss/",
    "/news/feed/atom/",
    "/news/tag/funding/feed/rss/",
    "/news/topic/modality/vaccines/feed/atom/",
    "/news/item-0/",
)


def make_image() -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), "teal").save(buffer, "PNG")
    return Image.objects.create(title="Plant", file=ImageFile(buffer, name="plant.png"))


def add_news(index, image, actor, start, count):
    for n in range(start, start + count):
        NewsPageFactory(
            parent=index,
            title=f"Item {n}",
            image=image,
            tags=["funding", f"tag {n}"],
            stages=["fill-finish", "training"],
            modalities=["vaccines", "biosimilars"],
            therapeutic_areas=["oncology"],
            countries=["FR", "DE"],
            related_actors=[actor],
        )


def count_queries(client, url: str) -> int:
    client.get(url)  # image renditions are made on a first view, as on any running site
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, url
    if "feed" not in url and url != "/news/item-0/":
        assert len(response.context["page_obj"].object_list) >= 3, url
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_query_counts_are_the_same_for_3_and_30_news_items(client, news_index):
    image = make_image()
    actor = ActorPageFactory(parent=CartographyPage.objects.get(), title="Lyon Biologics")
    add_news(news_index, image, actor, 0, 3)
    small = {url: count_queries(client, url) for url in URLS}
    add_news(news_index, image, actor, 3, 27)
    large = {url: count_queries(client, url) for url in URLS}
    assert small == large
    # The lists did show the images (their renditions come from the prefetch).
    assert client.get("/news/").content.decode().count('class="news-item__image"') == 10
    assert max(small.values()) <= 20, small
