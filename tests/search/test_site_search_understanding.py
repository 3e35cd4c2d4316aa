"""The header search's news and pages sections understand a query as the rest of the site
does (issue 10): singular and plural, English and French stems, accents and case
ignored, the sector's synonyms (one-way ones too); the same answers on the database
(SQLite and PostgreSQL in CI) and on the cluster, and from the database when the
cluster is down."""

import datetime
import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from cobioe_cms.core.analysis import token_string
from cobioe_cms.core.models import ContentPage
from cobioe_cms.news.demo import generate_news
from cobioe_cms.news.models import NewsIndexPage, NewsPage
from tests.factories import NewsPageFactory

from . import test_wagtail_backend

site_settings = test_wagtail_backend.site_settings
use_cluster_backends = test_wagtail_backend.use_cluster_backends

# News items: (title, summary).
NEWS = {
    "vaccines": ("Vaccines for Europe", "A network of fill sites."),
    "mab": ("Monoclonal antibodies: a new plant", "Capacity for biologics."),
    "genopole": (
        "Génopole : nouvelle usine d'anticorps monoclonaux",
        "Un campus à Évry, with shared facilities.",
    ),
    "partnerships": ("Three manufacturing partnerships", "Signed in Basel."),
    "gene": ("Gene therapy trial starts", "A first patient."),
    "ff": ("Fill and finish capacity grows", "In Italy."),
    # "monoclonal" and "antibody", but not as the expression "monoclonal antibody".
    "scattered": ("Antibody makers hire", "Monoclonal lines expand in Lyon."),
}
# Content pages: (title, introduction).
PAGES = {
    "glossary": ("Glossary of vaccines", "Terms used by manufacturers."),
    "cell": ("Les thérapies cellulaires", "Une introduction aux MTI."),
    "usines": ("Nos usines", "Où nous produisons des anticorps monoclonaux."),
    "gene_page": ("Gene therapies explained", "Viral vectors and more."),
}

# Query -> (news found, pages found), in any order.
EXPECTED = {
    # English singular finds the plural, and the reverse.
    "vaccine": ({"vaccines"}, {"glossary"}),
    "partnership": ({"partnerships"}, set()),
    "partnerships": ({"partnerships"}, set()),
    # French singular and plural; accents and case ignored.
    "usine": ({"genopole"}, {"usines"}),
    "therapie cellulaire": (set(), {"cell"}),
    "genopole": ({"genopole"}, set()),
    "GÉNOPOLE": ({"genopole"}, set()),
    "anticorps": ({"mab", "genopole", "scattered"}, {"usines"}),
    # A synonym group: the acronym finds English and French expressions, as phrases.
    "mAb": ({"mab", "genopole"}, {"usines"}),
    # A one-way group: ATMP finds cell and gene therapies; cell therapy not gene therapy.
    # An expression is a phrase, a stop word between its words or not.
    "fill-finish": ({"ff"}, set()),
    "ATMP": ({"gene"}, {"cell", "gene_page"}),
    "cell therapy": (set(), {"cell"}),
    # Every concept must be found, each in its own best form (folded, French stem).
    "genopole monoclonal": ({"genopole"}, set()),
    "genopole facility": ({"genopole"}, set()),
    "vaccine partnership": (set(), set()),
    # Whole words only in news and pages, which the cluster's Wagtail backend searches:
    # "bio" does not find "biologics" there (organisations do match a beginning).
    "bio": (set(), set()),
    "biologics": ({"mab"}, set()),
}


@pytest.fixture
def content(db, cartography):
    home = cartography.get_parent()
    news_index = home.add_child(instance=NewsIndexPage(title="Newsroom", slug="newsroom"))
    news_index.save_revision().publish()
    for key, (title, summary) in NEWS.items():
        NewsPageFactory(parent=news_index, title=title, summary=summary, slug=key)
    for key, (title, intro) in PAGES.items():
        page = ContentPage(title=title, slug=key.replace("_", "-"), intro=intro)
        home.add_child(instance=page)
        page.save_revision().publish()
    return news_index


def found(client, query: str, path: str = "/search/"):
    """(news keys, page keys) shown for ``query``, and the backend that answered."""
    news = client.get(path, {"q": query, "kind": "news"})
    pages = client.get(path, {"q": query, "kind": "pages"})
    news_body, pages_body = news.content.decode(), pages.content.decode()
    shown_news = {key for key, (title, _s) in NEWS.items() if _escaped(title) in news_body}
    shown_pages = {key for key, (title, _i) in PAGES.items() if _escaped(title) in pages_body}
    return (shown_news, shown_pages), {news["X-Search-Backend"], pages["X-Search-Backend"]}


def _escaped(title: str) -> str:
    return title.replace("'", "&#x27;")


# -- the database --------------------------------------------------------------------


@pytest.mark.parametrize("query", list(EXPECTED))
def test_the_database_understands_the_query(content, client, query):
    (news, pages), backends = found(client, query)

    assert backends == {"database"}
    assert (news, pages) == EXPECTED[query]


def test_title_matches_first_then_newest(content, client):
    news_index = content
    older = NewsPageFactory(
        parent=news_index,
        title="Capacity report",
        summary="Vaccines in demand.",
        slug="older",
        date=datetime.date(2020, 1, 1),
    )
    newer = NewsPageFactory(
        parent=news_index, title="Market report", summary="Vaccine makers hire.", slug="newer"
    )

    body = client.get("/search/", {"q": "vaccines", "kind": "news"}).content.decode()

    positions = [body.index(title) for title in ("Vaccines for Europe", newer.title, older.title)]
    assert positions == sorted(positions)


def test_news_are_analysed_when_published_and_by_the_migration(content, client):
    item = NewsPage.objects.get(slug="partnerships")
    assert " partnership " in item.search_title
    assert " basel " in item.search_text

    # Rows saved before the analysis existed: the migration analyses them.
    NewsPage.objects.update(search_title="", search_text="")
    migration = importlib.import_module("cobioe_cms.news.migrations.0002_search_tokens")
    migration.analyse_news(apps, None)

    assert found(client, "partnership")[0] == EXPECTED["partnership"]
    assert found(client, "mAb")[0] == EXPECTED["mAb"]


def test_an_item_is_found_by_its_published_words(content, client):
    item = NewsPage.objects.get(slug="partnerships")
    item.title = "Three bioreactor suppliers"
    item.save_revision()  # a draft

    def news_for(query: str) -> str:
        return client.get("/search/", {"q": query, "kind": "news"}).content.decode()

    assert "Three manufacturing partnerships" in news_for("partnerships")
    assert "Three bioreactor suppliers" not in news_for("bioreactors")

    item.get_latest_revision().publish()

    assert "Three bioreactor suppliers" in news_for("bioreactors")
    assert "Three manufacturing partnerships" not in news_for("partnerships")


def test_demo_news_are_analysed(content):
    generate_news(content, 3, seed=5)

    demo = NewsPage.objects.child_of(content).filter(is_demo=True)
    assert demo.count() == 3
    for item in demo:
        assert item.search_title == token_string([item.title])
        assert " demo " in item.search_text  # its summary


# -- the cluster -----------------------------------------------------------------------


def test_the_cluster_understands_the_query_alike(
    content, search_cluster, use_cluster_backends, client
):
    use_cluster_backends()
    call_command("update_index", "--backend", "default", verbosity=0)
    call_command("search_rebuild", stdout=StringIO())

    for query, expected in EXPECTED.items():
        shown, backends = found(client, query)
        assert backends == {"cluster"}, query
        assert shown == expected, query

    assert found(client, "anticorps", path="/fr/search/")[0] == EXPECTED["anticorps"]


def test_a_down_cluster_leaves_the_database_to_understand(
    content, closed_port, use_cluster_backends, client
):
    use_cluster_backends()

    for query in ("vaccine", "genopole", "mAb", "ATMP"):
        shown, backends = found(client, query)
        assert backends == {"database"}, query
        assert shown == EXPECTED[query], query
