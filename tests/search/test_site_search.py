"""The public site search at /search/: results per kind, who sees what, paging and bad
input, on Wagtail's database backend, and the same searches answered by the cluster."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from opensearchpy import Transport
from wagtail.models import PageViewRestriction

from cobioe_cms.core.models import ContentPage
from cobioe_cms.news.models import NewsIndexPage
from cobioe_cms.search import indexes
from tests.factories import ActorPageFactory, NewsPageFactory, WatchItemFactory

from . import test_wagtail_backend

# The cluster tests use the backends the site's settings build.
site_settings = test_wagtail_backend.site_settings
use_cluster_backends = test_wagtail_backend.use_cluster_backends

SHOWN = [
    "Vaccine Manufacturing Works",
    "New vaccine plant opens in Lyon",
    "Vaccine glossary",
]
NEVER_SHOWN = [
    "Vaccine Draft Lab",  # draft actor
    "Secret Vaccine Unit",  # actor with a view restriction
    "Vaccine news draft",  # draft news
    "Vaccine members corner",  # content page with a view restriction
]
WATCH_ITEM = "Vaccine supply report"
DUPLICATE_ITEM = "Vaccine supply report, again"


@pytest.fixture
def content(db, cartography):
    home = cartography.get_parent()
    news_index = home.add_child(instance=NewsIndexPage(title="Newsroom", slug="newsroom"))
    news_index.save_revision().publish()

    ActorPageFactory(parent=cartography, title="Vaccine Manufacturing Works")
    ActorPageFactory(parent=cartography, title="Vaccine Draft Lab", live=False)
    secret = ActorPageFactory(parent=cartography, title="Secret Vaccine Unit")
    PageViewRestriction.objects.create(page=secret, restriction_type="password", password="x")

    NewsPageFactory(parent=news_index, title="New vaccine plant opens in Lyon")
    NewsPageFactory(parent=news_index, title="Vaccine news draft", live=False)

    for title, slug, private in [
        ("Vaccine glossary", "glossary", False),
        ("Vaccine members corner", "members-corner", True),
    ]:
        page = ContentPage(title=title, slug=slug)
        home.add_child(instance=page)
        page.save_revision().publish()
        if private:
            PageViewRestriction.objects.create(page=page, restriction_type="login")

    original = WatchItemFactory(title=WATCH_ITEM, summary="Fill and finish capacity in Europe.")
    duplicate = WatchItemFactory(title=DUPLICATE_ITEM)
    duplicate.duplicate_of = original
    duplicate.save()
    return {"home": home, "news_index": news_index}


def index_database():
    """Wagtail's database backend does not index on save in the tests."""
    call_command("update_index", verbosity=0)


@pytest.fixture
def member(django_user_model, client):
    user = django_user_model.objects.create_user(
        username="reader", email="reader@example.org", password="a long password"
    )
    client.force_login(user)
    return user


def html(response) -> str:
    return response.content.decode()


def section_counts(response) -> dict[str, int]:
    """Kind label -> count, from the kinds navigation."""
    nav = html(response).split('aria-label="Kinds of result"', 1)[1].split("</nav>", 1)[0]
    return {label: int(n) for label, n in re.findall(r">([^<>]+) \((\d+)\)</a>", nav)}


# -- results and visibility --------------------------------------------------------------


def test_anonymous_visitors_find_public_pages_of_every_kind(content, client):
    index_database()

    response = client.get("/search/", {"q": "vaccine"})

    assert response.status_code == 200
    assert response["X-Search-Backend"] == "database"
    body = html(response)
    for title in SHOWN:
        assert title in body
    for title in [*NEVER_SHOWN, WATCH_ITEM, DUPLICATE_ITEM]:
        assert title not in body
    assert section_counts(response) == {
        "All results": 3,
        "Organisations": 1,
        "News": 1,
        "Pages": 1,
        "Opportunities": 0,  # the community's current opportunities (none here)
        "Discussions": 0,  # the community's public threads (none here)
    }
    assert "Members also search the economic watch." in body
    assert "database" not in body.split('id="main"', 1)[1]  # the backend is not shown


def test_members_also_find_watch_items(content, client, member):
    index_database()

    response = client.get("/search/", {"q": "vaccine"})

    body = html(response)
    assert section_counts(response)["Watch items"] == 1
    assert WATCH_ITEM in body
    assert DUPLICATE_ITEM not in body
    for title in NEVER_SHOWN:  # members see no draft and no restricted page either
        assert title not in body
    assert "Members also search" not in body

    only_watch = client.get("/search/", {"q": "europe capacity", "kind": "watch"})
    assert only_watch.status_code == 200
    assert WATCH_ITEM in html(only_watch)


def test_watch_items_are_never_shown_to_anonymous_visitors(content, client):
    index_database()

    response = client.get("/search/", {"q": "vaccine", "kind": "watch"})

    assert response.status_code == 200
    body = html(response)
    assert WATCH_ITEM not in body
    assert "Sign in to search this kind of content" in body
    assert "Vaccine Manufacturing Works" in body  # every other kind instead


def test_one_kind_at_a_time(content, client):
    index_database()

    response = client.get("/search/", {"q": "vaccine", "kind": "news"})

    body = html(response)
    assert "New vaccine plant opens in Lyon" in body
    assert "Vaccine Manufacturing Works" not in body
    assert section_counts(response)["Organisations"] == 1  # counts of the other kinds
    assert 'href="?q=vaccine&amp;kind=news" aria-current="page"' in body


def test_no_result_and_empty_query(content, client):
    index_database()

    nothing = client.get("/search/", {"q": "zebrafish"})
    assert nothing.status_code == 200
    assert "Nothing matches “zebrafish”." in html(nothing)

    empty = client.get("/search/")
    assert empty.status_code == 200
    assert "Type what you are looking for" in html(empty)
    assert "X-Search-Backend" not in empty


def test_french_url(content, client):
    index_database()

    response = client.get("/fr/search/", {"q": "vaccine"})

    assert response.status_code == 200
    assert '<html lang="fr">' in html(response)
    assert "Vaccine Manufacturing Works" in html(response)


def test_search_box_in_the_site_header(content, client):
    body = html(client.get("/"))

    header = body.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert 'role="search"' in header
    assert 'action="/search/"' in header
    assert '<label for="header-search-q" class="visually-hidden">' in header
    assert 'id="header-search-q" type="search" name="q"' in header


# -- paging and bad input ------------------------------------------------------------------


@pytest.fixture
def many_actors(db, cartography):
    for n in range(25):
        ActorPageFactory(parent=cartography, title=f"Bioreactor company {n:02d}")
    index_database()


def hits(response) -> int:
    return html(response).count('<article class="actor-card">')


def test_pages_of_one_kind(many_actors, client):
    first = client.get("/search/", {"q": "bioreactor", "kind": "actors"})
    second = client.get("/search/", {"q": "bioreactor", "kind": "actors", "page": "2"})

    assert hits(first) == 20
    assert 'href="?q=bioreactor&amp;kind=actors&amp;page=2"' in html(first)
    assert hits(second) == 5
    overview = client.get("/search/", {"q": "bioreactor"})
    assert hits(overview) == 5
    assert "See all 25 results in “Organisations”" in html(overview)


@pytest.mark.parametrize(
    ("page", "message", "shown"),
    [
        ("abc", "“abc” is not a page number; showing page 1.", 20),
        ("9999", "There are only 2 pages; showing the last one.", 5),
        ("0", "Page numbers start at 1; showing page 1.", 20),
        ("-3", "Page numbers start at 1; showing page 1.", 20),
    ],
)
def test_bad_page_numbers(many_actors, client, page, message, shown):
    response = client.get("/search/", {"q": "bioreactor", "kind": "actors", "page": page})

    assert response.status_code == 200
    assert message in html(response)
    assert hits(response) == shown


@pytest.mark.parametrize(
    "query",
    [
        '"vaccine',
        "vaccine AND OR NOT (",
        "vaccine* NEAR(x)",
        "title:vaccine -draft",
        "vaccine'; DROP TABLE wagtailcore_page; --",
        "vaccine\x00\x1f",
        "%_vaccine_%",
        "vâccïne ☃ 疫苗",
    ],
)
def test_query_syntax_of_any_backend_is_just_text(content, client, query):
    index_database()

    response = client.get("/search/", {"q": query})

    assert response.status_code == 200


def test_too_long_and_punctuation_only_queries(content, client):
    index_database()

    long_query = "vaccine " + "x" * 400
    shortened = client.get("/search/", {"q": long_query})
    assert shortened.status_code == 200
    assert "Your search was shortened to its first 200 characters." in html(shortened)
    # Cut at a word's end: the half of the long word is dropped, not searched.
    assert 'value="vaccine"' in html(shortened)

    punctuation = client.get("/search/", {"q": "?!… --- ***"})
    assert punctuation.status_code == 200
    assert "Your search has no letters or digits to look for" in html(punctuation)


def test_unknown_kind_and_post(content, client):
    index_database()

    response = client.get("/search/", {"q": "vaccine", "kind": "<script>"})
    assert response.status_code == 200
    assert "“&lt;script&gt;” is not a kind of result; showing every kind." in html(response)
    assert client.post("/search/", {"q": "vaccine"}).status_code == 405


def test_queries_do_not_grow_with_the_results(cartography, client, member):
    def queries_for_search() -> int:
        index_database()
        client.get("/search/", {"q": "bioreactor"})  # fills Wagtail's site caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/search/", {"q": "bioreactor"}).status_code == 200
            assert client.get("/search/", {"q": "bioreactor", "kind": "actors"}).status_code == 200
        return len(queries)

    for n in range(6):
        ActorPageFactory(parent=cartography, title=f"Bioreactor company {n:02d}")
        WatchItemFactory(title=f"Bioreactor news {n}")
    few = queries_for_search()
    for n in range(6, 30):
        ActorPageFactory(parent=cartography, title=f"Bioreactor company {n:02d}")
        WatchItemFactory(title=f"Bioreactor news {n}")
    many = queries_for_search()

    assert many == few


# -- with the cluster ----------------------------------------------------------------------


def test_the_cluster_answers_the_same(
    content, search_cluster, use_cluster_backends, client, settings
):
    index_database()
    cluster_settings = settings.COBIOE_SEARCH
    settings.COBIOE_SEARCH = {"URL": ""}  # the database answers every section
    database = client.get("/search/", {"q": "vaccine"})
    assert database["X-Search-Backend"] == "database"
    anonymous_db = section_counts(database)
    settings.COBIOE_SEARCH = cluster_settings

    use_cluster_backends()
    call_command("update_index", "--backend", "default", verbosity=0)
    call_command("search_rebuild", stdout=StringIO())

    response = client.get("/search/", {"q": "vaccines"})  # stemmed: "vaccines" finds "Vaccine"
    assert response.status_code == 200
    assert response["X-Search-Backend"] == "cluster"
    assert section_counts(response) == anonymous_db
    body = html(response)
    for title in SHOWN:
        assert title in body
    for title in [*NEVER_SHOWN, WATCH_ITEM]:
        assert title not in body

    assert client.get("/fr/search/", {"q": "vaccine", "kind": "pages"})["X-Search-Backend"] == (
        "cluster"
    )


def test_members_watch_items_from_the_cluster(
    content, search_cluster, use_cluster_backends, client, member
):
    use_cluster_backends()
    call_command("update_index", "--backend", "default", verbosity=0)
    call_command("search_rebuild", stdout=StringIO())

    response = client.get("/search/", {"q": "vaccine", "kind": "watch"})

    assert response["X-Search-Backend"] == "cluster"
    assert WATCH_ITEM in html(response)
    assert DUPLICATE_ITEM not in html(response)


def test_down_cluster_answers_from_the_database(
    content, closed_port, use_cluster_backends, client, member
):
    use_cluster_backends()
    call_command("update_index", "--backend", "database", verbosity=0)

    response = client.get("/search/", {"q": "vaccine"})

    assert response.status_code == 200
    assert response["X-Search-Backend"] == "database"
    for title in [*SHOWN, WATCH_ITEM]:
        assert title in html(response)


@pytest.fixture
def cluster_requests(monkeypatch):
    """The requests sent to the cluster (method, path), every client's, counted as they
    go through (each is still sent)."""
    sent = []
    perform = Transport.perform_request

    def counted(self, method, url, *args, **kwargs):
        sent.append((method, url))
        return perform(self, method, url, *args, **kwargs)

    monkeypatch.setattr(Transport, "perform_request", counted)
    return sent


def test_the_cluster_is_asked_once_per_search(
    content, search_cluster, use_cluster_backends, client, member, cluster_requests
):
    use_cluster_backends()
    call_command("update_index", "--backend", "default", verbosity=0)
    call_command("search_rebuild", stdout=StringIO())
    cluster_requests.clear()

    preview = client.get("/search/", {"q": "vaccine"})
    one_kind = client.get("/search/", {"q": "vaccine", "kind": "news"})

    # Every section the cluster indexes (organisations, news, pages, discussions, watch
    # items) in one _msearch; the opportunities have no index and are always read from
    # the database, which the backend label leaves out.
    assert cluster_requests == [("POST", "/_msearch")] * 2
    for response in (preview, one_kind):
        assert response["X-Search-Backend"] == "cluster"
    assert section_counts(preview) == section_counts(one_kind)
    for title in [*SHOWN, WATCH_ITEM]:
        assert title in html(preview)
    assert "New vaccine plant opens in Lyon" in html(one_kind)


def test_a_section_the_cluster_cannot_answer_searches_alone(
    content, search_cluster, use_cluster_backends, client, caplog
):
    use_cluster_backends()
    call_command("update_index", "--backend", "default", verbosity=0)
    call_command("update_index", "--backend", "database", verbosity=0)
    indexes.rebuild("actors")  # the discussions' index is missing

    response = client.get("/search/", {"q": "vaccine"})

    assert response.status_code == 200
    # The organisations, news and pages from the single request; the discussions, whose
    # part of it failed, asked alone, failed again, and the database answered them.
    assert response["X-Search-Backend"] == "mixed"
    for title in SHOWN:
        assert title in html(response)
    faults = [r.getMessage() for r in caplog.records if "search cluster fault" in r.getMessage()]
    assert len(faults) == 1
    assert "site search: discussions" in faults[0]


def test_a_down_cluster_costs_one_failed_request(
    content, closed_port, use_cluster_backends, client, caplog, cluster_requests
):
    use_cluster_backends()
    call_command("update_index", "--backend", "database", verbosity=0)
    cluster_requests.clear()

    response = client.get("/search/", {"q": "vaccine"})
    again = client.get("/search/", {"q": "vaccine"})

    # The single request fails, the fault is logged, and the breaker sends every
    # section, and the next search, to the database.
    assert cluster_requests == [("POST", "/_msearch")]
    faults = [r.getMessage() for r in caplog.records if "search cluster fault" in r.getMessage()]
    assert len(faults) == 1
    assert "during site search:" in faults[0]
    for answer in (response, again):
        assert answer.status_code == 200
        assert answer["X-Search-Backend"] == "database"
        for title in SHOWN:
            assert title in html(answer)
