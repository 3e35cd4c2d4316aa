"""The SQL queries of a header search on the database, with a result in every section an
anonymous visitor sees (organisations, news, pages, opportunities, discussions): a fixed
number, whatever the number of results shown (issue 10: each query costs a few
milliseconds of compilation, and the sections added since the first measurement brought
a query plan that read every profile)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cobioe_cms.community.models import WorkingGroupIndexPage
from cobioe_cms.core.models import ContentPage
from cobioe_cms.news.models import NewsIndexPage
from tests.community.opportunity_board_support import make_board, make_opportunity
from tests.factories import (
    ActorPageFactory,
    MemberFactory,
    NewsPageFactory,
    ThreadFactory,
    WorkingGroupPageFactory,
    make_reply,
)

WORD = "zymase"
# Site and synonyms; view restrictions, once for the pages and once for the groups;
# organisations (ids, rows), news (ids, rows), opportunities (text, rows), pages (ids,
# types, rows), discussions (replies, threads, rows); the header's menu (restrictions,
# pages). 19 before the discussions found read their rows by key.
HEADER_SEARCH_QUERIES = 18


@pytest.fixture
def places(cartography):
    home = Site.objects.get(is_default_site=True).root_page
    news = home.add_child(instance=NewsIndexPage(title="Newsroom", slug="newsroom"))
    news.save_revision().publish()
    groups = home.add_child(instance=WorkingGroupIndexPage(title="Groups", slug="groups"))
    groups.save_revision().publish()
    group = WorkingGroupPageFactory(parent=groups, title="Enzymes", membership_policy="open")
    return {
        "home": home,
        "cartography": cartography,
        "news": news,
        "board": make_board(),
        "group": group,
        "author": MemberFactory(username="author"),
    }


def add_results(places, first: int, last: int) -> None:
    """One result of each kind per number, each holding :data:`WORD`."""
    for n in range(first, last):
        actor = ActorPageFactory(parent=places["cartography"], title=f"Zymase works {n}")
        NewsPageFactory(parent=places["news"], title=f"Zymase plant {n} opens")
        page = ContentPage(title=f"Zymase guide {n}", slug=f"zymase-guide-{n}")
        places["home"].add_child(instance=page)
        page.save_revision().publish()
        make_opportunity(places["board"], actor, f"Zymase capacity {n}")
        thread = ThreadFactory(
            group=places["group"], author=places["author"], title=f"Zymase yields {n}"
        )
        make_reply(thread, places["author"], text="Ours doubled with zymase.")
    call_command("update_index", verbosity=0)


def header_search(client) -> tuple[dict[str, int], list[str]]:
    client.get("/search/", {"q": WORD})  # fills Wagtail's per-process site caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": WORD})
    assert response.status_code == 200
    assert response["X-Search-Backend"] == "database"
    counts = {r.section.key: r.count for r in response.context["search"].results}
    return counts, [query["sql"][:120] for query in queries.captured_queries]


def test_a_header_search_reads_a_fixed_number_of_queries(places, client):
    add_results(places, 0, 1)
    counts, few = header_search(client)
    assert counts == {"actors": 1, "news": 1, "opportunities": 1, "pages": 1, "discussions": 1}
    assert len(few) == HEADER_SEARCH_QUERIES, "\n".join(few)

    add_results(places, 1, 4)  # more results than the preview of each section shows
    counts, many = header_search(client)
    assert counts == {"actors": 4, "news": 4, "opportunities": 4, "pages": 4, "discussions": 4}
    assert len(many) == HEADER_SEARCH_QUERIES, "\n".join(many)
