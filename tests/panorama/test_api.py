"""The open-data API (/api/v1/): the cartography's actors through its own filter, one
actor, taxonomies, statistics and coverage equal to ORM counts, news; JSON errors,
conditional answers (304), CORS, rate limits, and no contact data anywhere."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.models import ValueChainStage
from cobioe_cms.news.models import NewsIndexPage
from cobioe_cms.panorama import statistics
from cobioe_cms.panorama.models import CoverageEstimate
from tests.factories import ActorPageFactory, NewsPageFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def live():
    return ActorPage.objects.live().public().filter(merged_into__isnull=True)


@pytest.fixture
def actors(cartography):
    made = [
        ActorPageFactory(
            parent=cartography, title="Alpha Bio", country="FR", organisation_type="cdmo",
            stages=["production", "fill-finish"], modalities=["monoclonal-antibodies"],
            scales=["commercial"], gmp_status="gmp-certified", contact_email="alpha@example.org",
            contact_phone="+33 1 23 45 67 89", keywords=["antibodies"],
        ),
        ActorPageFactory(
            parent=cartography, title="Beta Lab", country="FR", organisation_type="academic-lab",
            stages=["research-development"], modalities=["vaccines", "mrna-nucleic-acids"],
            scales=["lab"], contact_email="beta@example.org",
        ),
        ActorPageFactory(
            parent=cartography, title="Gamma Vax", country="DE", organisation_type="cdmo",
            stages=["production", "clinical-manufacturing"], modalities=["vaccines"],
            scales=["clinical", "commercial"], gmp_status="gmp-certified",
        ),
        ActorPageFactory(
            parent=cartography, title="Delta QC", country="BE", organisation_type="company",
            stages=["quality-control"], modalities=["monoclonal-antibodies"], scales=["pilot"],
        ),
        ActorPageFactory(parent=cartography, title="Draft Co", country="DE", live=False),
    ]  # fmt: skip
    statistics.invalidate()
    return made


def get(client, url, **params):
    response = client.get(url, params)
    return response, (json.loads(response.content) if response.content else None)


# -- actors -----------------------------------------------------------------------------

PARAMETER_SETS = [
    {},
    {"country": "FR"},
    {"stage": "production"},
    {"modality": ["vaccines", "monoclonal-antibodies"], "sort": "country"},
    {"type": "cdmo", "scale": "commercial"},
    {"q": "vax"},
    {"sort": "recent"},
]


@pytest.mark.parametrize("params", PARAMETER_SETS)
def test_actors_are_the_cartographys_in_its_order(client, cartography, actors, params):
    page_response = client.get(cartography.url, params)
    listed = [actor.pk for actor in page_response.context["page_obj"].object_list]
    export = json.loads(client.get(cartography.url + "export/json/", params).content)["actors"]
    response, data = get(client, API + "actors/", **params)
    assert response.status_code == 200, data
    assert [item["id"] for item in data["results"]] == listed
    assert [item["url"] for item in data["results"]] == [record["url"] for record in export]
    assert data["count"] == len(listed)


def test_actor_records_are_the_exports_public_fields(client, cartography, actors):
    _response, data = get(client, API + "actors/", country="FR")
    alpha = next(item for item in data["results"] if item["name"] == "Alpha Bio")
    assert alpha["id"] == actors[0].pk
    assert alpha["url"] == f"http://testserver{cartography.url}alpha-bio/"
    assert set(alpha["stages"]) == {"production", "fill-finish"}
    assert alpha["gmp_status"] == "gmp-certified"
    assert alpha["keywords"] == ["antibodies"]
    assert "contact_email" not in alpha and "contact_phone" not in alpha


def test_no_contact_data_anywhere(client, actors, cartography):
    index = NewsIndexPage.objects.first() or cartography.get_parent().add_child(
        instance=NewsIndexPage(title="News", slug="news")
    )
    NewsPageFactory(parent=index, related_actors=[actors[0]])
    urls = [
        "actors/",
        f"actors/{actors[0].pk}/",
        "news/",
        "statistics/",
        "coverage/",
        "taxonomies/",
    ]
    for url in urls:
        body = client.get(API + url).content.decode()
        assert "alpha@example.org" not in body and "beta@example.org" not in body, url
        assert "23 45 67" not in body and "contact_" not in body, url


def test_pagination_links_and_bad_pages(client, actors):
    response, data = get(client, API + "actors/", page_size=3)
    assert data["count"] == 4 and len(data["results"]) == 3 and data["previous"] is None
    assert data["next"] == "http://testserver/api/v1/actors/?page=2&page_size=3"
    _response, second = get(client, API + "actors/", page=2, page_size=3)
    assert len(second["results"]) == 1 and second["next"] is None
    assert second["previous"].startswith("http://testserver/api/v1/actors/?")
    for params, words in [
        ({"page": "x"}, "is not a page number"),
        ({"page": "0"}, "start at 1"),
        ({"page": "9"}, "There is no page 9: the last one is 1."),
        ({"page_size": "1000"}, "between 1 and 100"),
        ({"page_size": "many"}, "not a number"),
    ]:
        response, data = get(client, API + "actors/", **params)
        assert response.status_code == 400, params
        assert words in data["detail"], data
        assert list(data["errors"]) == [next(iter(params))]


def test_bad_filters_are_400_with_the_cartographys_messages(client, actors):
    response, data = get(client, API + "actors/", stage="no-such-stage")
    assert response.status_code == 400
    assert "“no-such-stage” is not a known value of “Value-chain stage”" in data["detail"]
    response, data = get(client, API + "actors/", sort="sideways")
    assert response.status_code == 400 and "Unknown sort order" in data["detail"]


def test_one_actor_and_404s(client, actors):
    response, data = get(client, API + f"actors/{actors[2].pk}/")
    assert response.status_code == 200 and data["name"] == "Gamma Vax"
    assert data["modalities"] == ["vaccines"]
    private = actors[3]
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=private, restriction_type="login")
    merged = actors[1]
    merged.merged_into = actors[0]
    merged.save(update_fields=["merged_into"])
    merged.unpublish()
    for pk in (actors[4].pk, private.pk, merged.pk, 999999, "abc", 10**30):
        response, data = get(client, API + f"actors/{pk}/")
        assert response.status_code == 404, pk
        assert data["detail"]


def test_query_count_does_not_grow_with_the_actors(client, cartography, actors):
    def queries(page_size):
        with CaptureQueriesContext(connection) as context:
            response = client.get(API + "actors/", {"page_size": page_size})
        assert response.status_code == 200
        return len(context.captured_queries), len(json.loads(response.content)["results"])

    client.get(API + "actors/")  # the site's root paths, cached from then on
    few, listed = queries(4)
    assert listed == 4
    for _n in range(26):
        ActorPageFactory(
            parent=cartography, country="IT", stages=["production"], modalities=["vaccines"]
        )
    many, listed = queries(30)
    assert listed == 30 and many == few


# -- taxonomies --------------------------------------------------------------------------


def test_taxonomies(client):
    response, data = get(client, API + "taxonomies/")
    assert response.status_code == 200
    assert [taxonomy["kind"] for taxonomy in data][:3] == ["type", "stage", "modality"]
    response, stages = get(client, API + "taxonomies/stage/")
    assert [term["slug"] for term in stages["terms"]] == list(
        ValueChainStage.objects.values_list("slug", flat=True)
    )
    fill = next(term for term in stages["terms"] if term["slug"] == "fill-finish")
    assert fill["parent"] == "production" and fill["name_fr"]
    response, data = get(client, API + "taxonomies/colours/")
    assert response.status_code == 404 and "colours" in data["detail"]


# -- statistics and coverage -------------------------------------------------------------


def test_statistics_equal_orm_counts(client, actors, cartography):
    response, data = get(client, API + "statistics/")
    assert response.status_code == 200 and data["total"] == live().count() == 4
    by_dimension = {
        d["dimension"]: {v["key"]: v["count"] for v in d["values"]} for d in data["dimensions"]
    }
    for code in ("FR", "DE", "BE"):
        assert by_dimension["country"][code] == live().filter(country=code).count()
    for slug in ("production", "vaccines"):
        dimension = "stage" if slug == "production" else "modality"
        relation = "stages" if slug == "production" else "modalities"
        expected = live().filter(**{f"{relation}__slug": slug}).distinct().count()
        assert by_dimension[dimension][slug] == expected

    _response, data = get(
        client, API + "statistics/", dimension="country", type="cdmo", scale="commercial"
    )
    values = {v["key"]: v for v in data["dimensions"][0]["values"]}
    for code in ("FR", "DE"):
        expected = (
            live().filter(country=code, organisation_type__slug="cdmo", scales__slug="commercial")
            .distinct().count()
        )  # fmt: skip
        assert values[code]["count"] == expected == 1
    assert data["total"] == 2
    assert values["FR"]["cartography_url"].endswith(
        f"{cartography.url}?type=cdmo&scale=commercial&country=FR"
    )


def test_crosstab_and_growth_equal_orm_counts(client, actors):
    response, data = get(
        client, API + "statistics/crosstab/", rows="modality", cols="stage", country="FR"
    )
    assert response.status_code == 200
    rows = [v["key"] for v in data["row_values"]]
    cols = [v["key"] for v in data["col_values"]]
    for i, modality in enumerate(rows):
        for j, stage in enumerate(cols):
            expected = (
                live().filter(country="FR", modalities__slug=modality)
                .filter(stages__slug=stage).distinct().count()
            )  # fmt: skip
            assert data["cells"][i][j] == expected, (modality, stage)
    _response, data = get(client, API + "statistics/growth/", country="DE")
    year = timezone.now().year
    assert data["years"][-1] == {"year": year, "new": 1, "total": 1}


@pytest.mark.parametrize(
    ("url", "params", "words"),
    [
        ("statistics/", {"dimension": "colour"}, "is not a dimension"),
        ("statistics/", {"country": "ZZ"}, "“ZZ” is not a known value of “country”"),
        ("statistics/", {"stage": ["production", "lab"]}, "one value"),
        ("statistics/crosstab/", {"rows": "country"}, "“cols” is required"),
        ("statistics/crosstab/", {"rows": "stage", "cols": "stage"}, "two different"),
        ("statistics/growth/", {"modality": "x" * 500}, "is not a known value"),
        ("news/", {"country": "XX"}, "is not a known value"),
    ],
)
def test_bad_statistics_parameters_are_400(client, actors, url, params, words):
    response, data = get(client, API + url, **params)
    assert response.status_code == 400
    assert words in data["detail"], data


def test_coverage(client, actors):
    production = ValueChainStage.objects.get(slug="production")
    CoverageEstimate.objects.create(country="FR", value=4, year=2025, source="Survey")
    CoverageEstimate.objects.create(country="DE", value=1, year=2025, source="Survey")
    CoverageEstimate.objects.create(stage=production, value=10, year=2025, source="Report")
    response, data = get(client, API + "coverage/")
    assert response.status_code == 200 and data["goal"] == 90
    countries = {row["country"]: row for row in data["countries"]}
    assert countries["FR"]["mapped"] == live().filter(country="FR").count() == 2
    assert countries["FR"]["percent"] == 50.0 and countries["FR"]["missing"] == 2
    assert countries["DE"]["mapped"] == 1 and countries["DE"]["reached"] is True
    assert [row["country"] for row in data["unestimated"]] == ["BE"]
    assert data["unestimated"][0]["estimate"] is None
    assert data["stages"][0]["mapped"] == live().filter(stages__slug="production").count()
    assert data["total_basis"] == "sum" and data["total"]["estimate"] == 5
    assert data["gaps"][0]["stage"] == "production" and data["gaps"][0]["missing"] == 9 - 2


# -- news --------------------------------------------------------------------------------


def test_news(client, cartography, actors):
    index = NewsIndexPage.objects.first() or cartography.get_parent().add_child(
        instance=NewsIndexPage(title="News", slug="news")
    )
    old = NewsPageFactory(
        parent=index, title="Old", date=timezone.localdate().replace(year=2024),
        stages=["production"], countries=["DE"], related_actors=[actors[2], actors[4]],
    )  # fmt: skip
    new = NewsPageFactory(parent=index, title="New", tags=["funding"], countries=["FR"])
    NewsPageFactory(parent=index, title="Draft", live=False)
    response, data = get(client, API + "news/")
    assert response.status_code == 200
    assert [item["id"] for item in data["results"]] == [new.pk, old.pk]
    item = data["results"][1]
    assert item["stages"] == ["production"] and item["countries"] == ["DE"]
    assert item["related_actors"] == [actors[2].pk]  # the draft actor is not public
    assert item["url"].startswith("http://testserver/") and item["url"].endswith("/old/")
    _response, data = get(client, API + "news/", country="FR")
    assert [item["id"] for item in data["results"]] == [new.pk]
    _response, data = get(client, API + "news/", stage="production")
    assert [item["id"] for item in data["results"]] == [old.pk]
    response, data = get(client, API + f"news/{old.pk}/")
    assert response.status_code == 200 and data["title"] == "Old"
    for bad in (actors[0].pk, 10**25, "x"):
        assert client.get(API + f"news/{bad}/").status_code == 404


# -- HTTP: methods, errors, conditional answers, CORS, rate limits -----------------------


def test_root_lists_the_endpoints(client):
    response, data = get(client, API)
    assert response.status_code == 200
    names = {endpoint["name"] for endpoint in data["endpoints"]}
    assert {"actors", "taxonomies", "statistics", "coverage", "news"} <= names
    assert data["schema"] == "http://testserver/api/v1/schema/"


def test_read_only_and_json_errors(client, actors):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(API + "actors/", {})
        assert response.status_code == 405, method
        assert "detail" in json.loads(response.content)
    response = client.get(API + "no/such/thing/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert json.loads(response.content)["detail"]


def test_etag_and_last_modified_give_304s(client, actors):
    response = client.get(API + "actors/", {"country": "FR"})
    etag, modified = response["ETag"], response["Last-Modified"]
    again = client.get(API + "actors/", {"country": "FR"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    since = client.get(API + "actors/", {"country": "FR"}, HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    other = client.get(API + "actors/", {"country": "DE"}, HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200
    # A change: a new ETag, and If-Modified-Since no longer matches.
    actors[0].unpublish()
    statistics.invalidate()
    changed = client.get(API + "actors/", {"country": "FR"}, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    import time

    time.sleep(1.1)  # HTTP dates count seconds
    ActorPageFactory(parent=actors[0].get_parent(), country="FR")
    later = client.get(API + "actors/", {"country": "FR"}, HTTP_IF_MODIFIED_SINCE=modified)
    assert later.status_code == 200


def test_cors_for_a_cross_origin_get(client, actors):
    response = client.get(API + "statistics/", HTTP_ORIGIN="https://data.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


@override_settings(COBIOE_API_THROTTLE_RATES={"burst": "3/min", "anonymous": "100/hour"})
def test_rate_limit_gives_429(client):
    for _ in range(3):
        assert client.get(API + "taxonomies/stage/").status_code == 200
    response = client.get(API + "taxonomies/stage/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "throttled" in json.loads(response.content)["detail"].lower()
    # Another client address has its own budget.
    assert client.get(API + "taxonomies/stage/", REMOTE_ADDR="192.0.2.7").status_code == 200


# -- the schema and its documentation ----------------------------------------------------


def test_schema_documents_every_parameter_and_error(client):
    response = client.get(API + "schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    operations = [(route, item["get"]) for route, item in schema["paths"].items() if "get" in item]
    assert {route for route, _op in operations} >= {
        "/api/v1/actors/", "/api/v1/actors/{actor_id}/", "/api/v1/statistics/crosstab/",
        "/api/v1/coverage/", "/api/v1/news/{news_id}/", "/api/v1/groups/",
    }  # fmt: skip
    assert all(route.startswith("/api/v1/") for route, _op in operations)  # not Wagtail's
    for route, operation in operations:
        assert "429" in operation["responses"], route
        query = [p for p in operation.get("parameters", ()) if p["in"] == "query"]
        if query:
            assert "400" in operation["responses"], route
        for parameter in query:
            assert parameter.get("description"), (route, parameter["name"])
        if "{" in route:
            assert "404" in operation["responses"], route
    stage = next(
        p for p in schema["paths"]["/api/v1/statistics/"]["get"]["parameters"]
        if p["name"] == "stage"
    )  # fmt: skip
    assert "fill-finish" in stage["schema"]["enum"]


def test_docs_page(client):
    response = client.get(API + "docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<code>GET /api/v1/actors/</code>" in body
    assert "<code>page_size</code>" in body and "A parameter is not valid." in body
    assert "<script" not in body.split("</header>", 1)[-1].split("<footer", 1)[0]
