"""The directory served by the search cluster is the directory the database serves:
the same actors in the same order, the same totals, page numbers, messages and facet
counts, and the same HTML; only the ``X-Search-Backend`` header tells them apart."""

import datetime
import logging
import re

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from cobioe_cms.actors import search_queries
from cobioe_cms.actors.filters import SORTS
from cobioe_cms.actors.models import ActorPage
from cobioe_cms.demo.actors import generate_actors
from cobioe_cms.search import indexes
from tests.factories import ActorPageFactory

from .dataset import build_actors
from .test_bad_input import BAD_QUERIES

pytestmark = pytest.mark.django_db

PER_PAGE = 7
URLS = [
    "",
    "?page=2",
    "?page=30",
    "?page=31",  # past the last page: the last one, with a message
    "?page=999999999999999999999999",
    "?page=0",
    "?page=-3",
    "?page=abc",
    "?page=1.5",
    "?sort=name&page=3",
    "?sort=country",
    "?sort=country&page=5",
    "?sort=recent",
    "?sort=recent&page=3",
    "?sort=reviewed",
    "?sort=reviewed&page=30",
    "?sort=bogus",
    "?sort=",
    "?country=FR",
    "?country=FR&country=DE&sort=country&page=2",
    "?country=fr&country=FR",
    "?country=ZZ&country=PT",
    "?stage=production&modality=monoclonal-antibodies",
    "?stage=fill-finish&stage=training&sort=reviewed",
    "?stage=not-a-stage&stage=production&page=2",
    "?type=cdmo&scale=clinical&scale=commercial&sort=reviewed",
    "?area=oncology&area=rare-diseases&verified=1&page=2",
    "?verified=1&gmp=gmp-certified&sort=recent",
    "?q=bio",
    "?q=bio&page=4&sort=recent",
    "?q=Évry",
    "?q=therap vec&country=FR&country=DE",
    "?q=nothing-matches-this",
    "?q=nothing-matches-this&page=2",
    "?q=" + "x" * 300,
    "?country=PT&type=cdmo",  # a selected value with no result stays listed
    "?" + "&".join(f"modality=m{i}" for i in range(40)),
    *BAD_QUERIES,
]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def catalogue(search_cluster, cartography):
    """The hand-made actors of ``dataset``, 200 demo actors and titles and dates that
    tell apart collations and timestamp precisions, indexed; 7 actors a page."""
    build_actors()
    generate_actors(cartography, 200, seed=11)
    titles = ("BIOGEN Therapeutics", "biogen therapeutics", "Zeta Bio", "Éclair Bio")
    for number, title in enumerate(titles):
        ActorPageFactory(parent=cartography, title=title, slug=f"tricky-{number}")
    # One title four times (the primary key decides), published within a millisecond
    # but not in the order of their keys, two of them at the very same time.
    twins = [
        ActorPageFactory(parent=cartography, title="Twin Bio", slug=f"twin-{number}")
        for number in range(4)
    ]
    moment = datetime.datetime(2024, 5, 1, 12, 0, 0, 900, tzinfo=datetime.UTC)
    for twin, microseconds in zip(twins, (300, 0, 500, 500), strict=True):
        ActorPage.objects.filter(pk=twin.pk).update(
            first_published_at=moment + datetime.timedelta(microseconds=microseconds)
        )
    cartography.per_page = PER_PAGE
    cartography.save_revision().publish()
    indexes.rebuild("actors")
    return cartography


@pytest.fixture
def directory(client, settings):
    """``directory(url, backend)``: the response with the cluster or the database."""
    cluster_settings = settings.COBIOE_SEARCH

    def get(url: str, backend: str):
        settings.COBIOE_SEARCH = cluster_settings if backend == "cluster" else {"URL": ""}
        response = client.get(f"/cartography/{url}")
        assert response.status_code == 200, url
        assert response["X-Search-Backend"] == backend, url
        assert response.context["search_backend"] == backend, url
        return response

    return get


def snapshot(response) -> dict:
    context = response.context
    page = context["page_obj"]
    return {
        "actors": [actor.pk for actor in page.object_list],
        "total": context["paginator"].count,
        "number": page.number,
        "pages": context["paginator"].num_pages,
        "page_range": [str(n) for n in context["page_range"]],
        "messages": [str(message) for message in context["input_messages"]],
        "facets": [
            (
                result.facet.key,
                [(o.value, o.label, o.count, o.selected, o.depth, o.url) for o in result.options],
            )
            for result in context["facets"]
        ],
        "active_filters": context["active_filters"],
        "html": CSRF.sub("", response.content.decode()),
    }


def test_every_order_has_its_cluster_twin():
    assert set(search_queries.CLUSTER_SORTS) == set(SORTS)


def test_the_cluster_directory_is_the_database_directory(catalogue, directory, subtests):
    assert search_queries.database_sorts_like_cluster()  # SQLite; PostgreSQL C.UTF-8
    shown = set()
    for url in URLS:
        with subtests.test(url=url):
            by_cluster = snapshot(directory(url, "cluster"))
            by_database = snapshot(directory(url, "database"))
            assert by_cluster == by_database
            shown.update(by_cluster["actors"])
    # The URLs above really page, sort and filter 200-odd actors.
    assert len(shown) > 100
    total = snapshot(directory("", "cluster"))["total"]
    assert total == catalogue.actors().count() == 200 + 6 + 4 + 4


def test_the_database_orders_the_page_when_the_cluster_cannot(
    catalogue, directory, monkeypatch, subtests
):
    """Past the result window, or when the database collates titles otherwise than by
    code point, the cluster still counts and the database orders the page."""
    urls = ["?page=2", "?sort=reviewed&page=3", "?q=bio&sort=country&page=5", "?page=31"]
    expected = {url: snapshot(directory(url, "database")) for url in urls}

    monkeypatch.setattr(search_queries, "MAX_RESULT_WINDOW", 3 * PER_PAGE)
    for url in urls:
        with subtests.test(url=url, window=3 * PER_PAGE):
            assert snapshot(directory(url, "cluster")) == expected[url]

    monkeypatch.setattr(search_queries, "MAX_RESULT_WINDOW", 10_000)
    monkeypatch.setattr(search_queries, "database_sorts_like_cluster", lambda: False)
    for url in urls:
        with subtests.test(url=url, collation="linguistic"):
            assert snapshot(directory(url, "cluster")) == expected[url]


def count_queries(client, url: str, backend: str) -> int:
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert response["X-Search-Backend"] == backend
    assert response.context["page_obj"].object_list, url  # like with like: cards shown
    return len(captured.captured_queries)


def test_query_count_does_not_grow_with_the_actors(search_cluster, cartography, client, settings):
    """As ``test_query_counts`` does for the database: 10 actors, then 200."""
    urls = (
        "/cartography/",
        "/cartography/?country=FR&country=DE&country=GB&stage=research-development",
        "/cartography/?q=demo&sort=country&page=2",
        "/cartography/?sort=reviewed&page=99",
    )
    generate_actors(cartography, 10, seed=5)
    cartography.per_page = 5
    cartography.save_revision().publish()
    indexes.rebuild("actors")
    client.get("/cartography/")  # warm the site-root cache, as any running site has
    small = {url: count_queries(client, url, "cluster") for url in urls}

    generate_actors(cartography, 190, seed=4)
    indexes.rebuild("actors")
    large = {url: count_queries(client, url, "cluster") for url in urls}
    settings.COBIOE_SEARCH = {"URL": ""}
    database = {url: count_queries(client, url, "database") for url in urls}

    assert small == large
    # The count and the seven facet counts are gone: the page and its taxonomies stay.
    assert all(large[url] <= database[url] - 7 for url in urls), (large, database)
    text_query = "/cartography/?q=demo&sort=country&page=2"
    assert max(n for url, n in large.items() if url != text_query) <= 20, large
    # A text query adds two: the synonym groups, and whether the text finds anything
    # at all (else its typos are corrected).
    assert large[text_query] <= 22, large


def test_a_dead_cluster_leaves_the_database_answering(closed_port, cartography, client, caplog):
    build_actors()
    with caplog.at_level(logging.WARNING, logger="cobioe_cms.search"):
        response = client.get("/cartography/?country=FR&sort=country")
    assert response.status_code == 200
    assert response["X-Search-Backend"] == "database"
    assert [a.slug for a in response.context["page_obj"].object_list] == [
        "lyon-biologics",
        "evry-cell-therapies",
    ]
    faults = [r for r in caplog.records if r.name == "cobioe_cms.search"]
    assert len(faults) == 1
    assert faults[0].levelno == logging.WARNING
    assert "cartography directory" in faults[0].getMessage()

    # The breaker is open: the next request does not wait for the dead cluster again.
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="cobioe_cms.search"):
        again = client.get("/cartography/?page=2")
    assert again.status_code == 200
    assert again["X-Search-Backend"] == "database"
    assert not [r for r in caplog.records if r.name == "cobioe_cms.search"]

    health = client.get("/search/health/").json()
    assert health["status"] == "degraded"
    assert health["backend"] == "database"


def test_map_data_says_the_database_answers(search_cluster, cartography, client):
    build_actors()
    indexes.rebuild("actors")
    response = client.get("/cartography/map/data/?country=FR")
    assert response.status_code == 200
    assert response["X-Search-Backend"] == "database"
    assert response.json()["total"] == 2
