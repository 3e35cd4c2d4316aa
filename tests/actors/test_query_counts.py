"""The number of SQL queries per page does not grow with the number of actors."""

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from cobioe_cms.actors.exports import invalidate_cached_exports
from cobioe_cms.demo.actors import generate_actors

URLS = (
    "/cartography/",
    "/cartography/?country=FR&country=DE&country=GB&stage=research-development&stage=production",
    "/cartography/?q=demo&sort=country&page=2",
    "/cartography/map/data/",
    "/cartography/map/data/?stage=research-development&gmp=gmp-certified",
    # Exports read actors by chunks of 1,000: one chunk for both sizes here.
    "/cartography/export/csv/",
    "/cartography/export/geojson/?country=FR",
)


def count_queries(client, url: str) -> int:
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    # Compare like with like: each listing shows actors (an empty page skips the
    # queries that fetch their taxonomy terms).
    if "/cartography/?" in url or url.endswith("/cartography/"):
        assert response.context["page_obj"].object_list, url
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_query_counts_are_the_same_for_10_and_1000_actors(client, cartography):
    generate_actors(cartography, 10, seed=5)
    cartography.per_page = 5
    cartography.save_revision().publish()
    client.get("/cartography/")  # warm the site-root cache, as any running site has
    small = {url: count_queries(client, url) for url in URLS}
    generate_actors(cartography, 990, seed=4)
    invalidate_cached_exports()  # bulk writes send no signals (load_demo does the same)
    large = {url: count_queries(client, url) for url in URLS}
    assert small == large
    # And the numbers stay small: a regression that adds a query per facet shows here.
    assert max(small.values()) <= 30, small
