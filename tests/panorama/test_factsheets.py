"""Country factsheets (``/panorama/countries/<code>/``): every number equals an ORM
count made here, the page links to the cartography's slices and to the profiles, and
bad codes give the normal 404 page."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.models.taxonomy import ValueChainStage
from cobioe_cms.news.models import NewsIndexPage
from cobioe_cms.panorama import statistics
from cobioe_cms.panorama.factsheets import countries_with_actors
from cobioe_cms.panorama.models import CoverageEstimate
from tests.factories.actors import ActorPageFactory
from tests.factories.news import NewsPageFactory

pytestmark = pytest.mark.django_db

FRANCE = "/panorama/countries/FR/"


def published(**filters):
    return ActorPage.objects.live().public().filter(merged_into__isnull=True, **filters).distinct()


@pytest.fixture
def news_index(cartography):
    index = NewsIndexPage.objects.first()
    if index is None:
        index = NewsIndexPage(title="News", slug="news")
        cartography.get_parent().add_child(instance=index)
        index.save_revision().publish()
    return index


@pytest.fixture
def actors(cartography, panorama):
    """France: 4 published actors (and a draft), Belgium 5, Germany 2, Italy 1."""
    make = ActorPageFactory
    found = {
        "paris": make(
            parent=cartography, title="Paris Bio", country="FR", city="Paris",
            latitude=48.85, longitude=2.35, organisation_type="cdmo",
            modalities=["monoclonal-antibodies", "vaccines"], stages=["production"],
            max_bioreactor_volume=2000, scales=["commercial"],
        ),
        "lyon": make(
            parent=cartography, title="Lyon Cells", country="FR", city="Lyon",
            latitude=45.76, longitude=4.83, modalities=["monoclonal-antibodies"],
            stages=["research-development"], max_bioreactor_volume=500,
        ),
        "lyon2": make(
            parent=cartography, title="Lyon Therapies", country="FR", city="Lyon",
            latitude=45.76, longitude=4.83, modalities=["cell-therapies"],
            scales=["commercial"],
        ),
        "toulouse": make(
            parent=cartography, title="Toulouse Lab", country="FR", city="Toulouse",
            latitude=43.6, longitude=1.44, organisation_type="academic-lab",
            modalities=["vaccines", "monoclonal-antibodies"], stages=["fill-finish"],
        ),
    }  # fmt: skip
    make(parent=cartography, title="Draft Giant", country="FR", max_bioreactor_volume=99999,
         live=False)  # fmt: skip
    make(parent=cartography, title="Berlin Giant", country="DE", max_bioreactor_volume=20000)
    make(parent=cartography, country="DE")
    make(parent=cartography, country="IT")
    for _n in range(5):
        make(parent=cartography, country="BE")
    statistics.invalidate()
    return found


def table_rows(html: str, table_id: str) -> list[tuple[str, str, int]]:
    """(link, label, count) of a factsheet's terms table."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [
        (href.replace("&amp;", "&"), label, int(count))
        for href, label, count in re.findall(
            r'<a href="([^"]+)">([^<]+)</a></th>\s*<td>(\d+)</td>', table
        )
    ]


def test_numbers_equal_independent_counts(client, actors):
    response = client.get(FRANCE)
    assert response.status_code == 200
    html = response.content.decode()

    france = published(country="FR")
    assert france.count() == 4
    assert "4 actors mapped" in html
    # Belgium has more actors: France is second of the four countries with actors.
    assert "Rank in Europe: 2 of 4 countries with actors" in html
    modalities = table_rows(html, "factsheet-modalities")
    assert modalities == [
        ("/cartography/?country=FR&modality=monoclonal-antibodies", "Monoclonal antibodies", 3),
        ("/cartography/?country=FR&modality=vaccines", "Vaccines", 2),
        ("/cartography/?country=FR&modality=cell-therapies", "Cell therapies", 1),
    ]
    for href, _label, count in modalities:
        slug = href.rsplit("=", 1)[1]
        assert count == france.filter(modalities__slug=slug).count()
    stages = {
        href.rsplit("=", 1)[1]: count for href, _l, count in table_rows(html, "factsheet-stages")
    }
    assert stages["production"] == france.filter(stages__slug="production").count() == 2
    assert stages["fill-finish"] == france.filter(stages__slug="fill-finish").count() == 1
    types = {
        href.rsplit("=", 1)[1]: count for href, _l, count in table_rows(html, "factsheet-types")
    }
    for slug, count in types.items():
        assert count == france.filter(organisation_type__slug=slug).count()
    assert types == {"company": 2, "cdmo": 1, "academic-lab": 1}
    assert 'href="/cartography/?country=FR"' in html


def test_largest_actors_by_scale_link_to_their_profiles(client, actors):
    response = client.get(FRANCE)

    assert [actor.title for actor in response.context["largest"]] == [
        "Paris Bio",  # 2,000 litres
        "Lyon Cells",  # 500 litres
        "Lyon Therapies",  # commercial scale, no volume given
    ]
    html = response.content.decode()
    assert f'href="{actors["paris"].url}"' in html
    assert "Draft Giant" not in html and "Berlin Giant" not in html


def test_the_map_draws_the_country_and_its_actors(client, actors):
    html = client.get(FRANCE).content.decode()

    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and 'aria-labelledby="factsheet-map-title factsheet-map-desc"' in svg
    # Paris, Lyon (twice) and Toulouse: 4 located actors at 3 positions.
    assert "4 actors with a known location, drawn as dots at 3 distinct positions." in svg
    dots = re.search(r'<path d="((?:M\d+ \d+h0)+)"', svg).group(1)
    assert dots.count("M") == 3
    outline = re.search(r'<path d="(M[^"]+Z)"', svg).group(1)
    assert outline.count("Z") >= 2  # the mainland and Corsica, not the overseas lands


def test_recent_news_about_the_country(client, actors, news_index):
    today = datetime.date(2026, 11, 30)
    for day in range(6):
        NewsPageFactory(
            parent=news_index, title=f"French news {day}", countries=["FR"],
            date=today - datetime.timedelta(days=day),
        )  # fmt: skip
    NewsPageFactory(parent=news_index, title="German news", countries=["DE"], date=today)
    NewsPageFactory(parent=news_index, title="Draft news", countries=["FR"], live=False)

    html = client.get(FRANCE).content.decode()

    shown = re.findall(r">(French news \d)</a>", html)
    assert shown == [f"French news {day}" for day in range(5)]
    assert "German news" not in html and "Draft news" not in html


def test_coverage_of_the_country(client, actors):
    html = client.get(FRANCE).content.decode()
    assert "no estimate of the number of actors in this country yet" in html

    CoverageEstimate.objects.create(country="FR", value=10, year=2024, source="Census")
    html = client.get(FRANCE).content.decode()
    assert "Coverage: 4 of an estimated 10 actors (40 %, estimate of 2024)" in html
    assert "5 actors still to map to reach the 90 % goal." in html

    production = ValueChainStage.objects.get(slug="production")
    CoverageEstimate.objects.create(
        country="FR", stage=production, value=4, year=2024, source="Census"
    )
    CoverageEstimate.objects.create(country="DE", stage=production, value=9, year=2024, source="X")
    html = client.get(FRANCE).content.decode()
    stage_table = html.split('id="factsheet-stage-coverage"', 1)[1].split("</table>", 1)[0]
    assert (
        '<a href="/cartography/?country=FR&amp;stage=production">Production / manufacturing</a>'
        "</th><td>2</td><td>4</td><td>50 %</td>"
    ) in stage_table
    assert stage_table.count("<tr>") == 2  # the heading and France's production only

    CoverageEstimate.objects.create(country="FR", value=3, year=2025, source="Census")
    html = client.get(FRANCE).content.decode()
    assert "(133 %, estimate of 2025)" in html and "More actors mapped than estimated" in html


@pytest.mark.parametrize(
    "url",
    [
        "/panorama/countries/ZZ/",  # not a country
        "/panorama/countries/FRA/",  # not a code
        "/panorama/countries/US/",  # not in Europe
        "/panorama/countries/PL/",  # no actor
        "/panorama/countries/%C3%A9t/",
    ],
)
def test_unknown_codes_and_countries_without_actors_are_not_found(client, actors, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]


def test_a_country_with_only_draft_actors_is_not_found(client, actors, cartography):
    ActorPageFactory(parent=cartography, country="PT", live=False)
    statistics.invalidate()
    assert client.get("/panorama/countries/PT/").status_code == 404


def test_lower_case_codes_redirect_to_the_canonical_url(client, actors):
    response = client.get("/panorama/countries/fr/")
    assert response.status_code == 301 and response["Location"] == FRANCE
    response = client.get("/fr/panorama/countries/fr/")
    assert response.status_code == 301 and response["Location"] == "/fr" + FRANCE


def test_in_french(client, actors):
    response = client.get("/fr" + FRANCE)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert (
        "/fr/cartography/?country=FR&modality=monoclonal-antibodies",
        "Anticorps monoclonaux",
        3,
    ) in table_rows(html, "factsheet-modalities")
    assert '<a href="/fr/panorama/countries/DE/">Allemagne</a> (2)' in html


def test_every_country_with_actors_has_a_factsheet_in_the_list(client, actors):
    expected = {code: published(country=code).count() for code in ("BE", "DE", "FR", "IT")}
    assert {code: count for code, _label, count in countries_with_actors()} == expected
    assert [label for _code, label, _count in countries_with_actors()] == [
        "Belgium", "France", "Germany", "Italy",
    ]  # fmt: skip
    html = client.get(FRANCE).content.decode()
    assert '<a href="/panorama/countries/BE/">Belgium</a> (5)' in html
    assert '<span aria-current="page">France</span> (4)' in html


def test_a_new_profile_shows_at_once(client, actors, cartography):
    ActorPageFactory(parent=cartography, country="FR", modalities=["vaccines"])
    html = client.get(FRANCE).content.decode()
    assert "5 actors mapped" in html
    assert ("/cartography/?country=FR&modality=vaccines", "Vaccines", 3) in table_rows(
        html, "factsheet-modalities"
    )


def test_query_count_does_not_grow_with_actors(client, cartography, panorama, news_index):
    NewsPageFactory(parent=news_index, countries=["FR"])
    CoverageEstimate.objects.create(country="FR", value=40, year=2024, source="Census")

    def queries_with(actor_count: int) -> tuple[int, int]:
        for n in range(published(country="FR").count(), actor_count):
            ActorPageFactory(
                parent=cartography, country="FR", latitude=43 + n / 10, longitude=2 + n / 10,
                modalities=["vaccines"], stages=["production"], scales=["commercial"],
                max_bioreactor_volume=100 * n or None,
            )  # fmt: skip
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert client.get(FRANCE).status_code == 200
        with CaptureQueriesContext(connection) as warm:
            assert client.get(FRANCE).status_code == 200
        return len(cold), len(warm)

    five, thirty = queries_with(5), queries_with(30)
    assert five == thirty
    assert published(country="FR").count() == 30
