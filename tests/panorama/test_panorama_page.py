"""The panorama page (/panorama/): numbers equal ORM counts, links to the slices,
the cross-tabulation and growth, CSV tables, bad parameters, French, query counts."""

import csv
import datetime
import html
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.models import Modality, OrganisationType
from cobioe_cms.panorama import statistics
from tests.factories import ActorPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors(cartography):
    made = [
        ActorPageFactory(
            parent=cartography, country="FR", organisation_type="cdmo",
            stages=["production", "fill-finish"], modalities=["monoclonal-antibodies"],
            scales=["commercial"], gmp_status="gmp-certified",
        ),
        ActorPageFactory(
            parent=cartography, country="FR", organisation_type="academic-lab",
            stages=["research-development"], modalities=["vaccines"], scales=["lab"],
        ),
        ActorPageFactory(
            parent=cartography, country="DE", organisation_type="cdmo",
            stages=["production"], modalities=["vaccines", "monoclonal-antibodies"],
            scales=["clinical", "commercial"],
        ),
        ActorPageFactory(
            parent=cartography, country="BE", organisation_type="company",
            stages=["quality-control"], modalities=["monoclonal-antibodies"], scales=["pilot"],
        ),
    ]  # fmt: skip
    statistics.invalidate()
    return made


def live():
    return ActorPage.objects.live().filter(merged_into__isnull=True)


def text(response) -> str:
    return html.unescape(response.content.decode())


def linked_count(content: str, url: str) -> int:
    """The count a table links to ``url`` with (the dimension tables' second column)."""
    match = re.search(rf'<a href="{re.escape(url)}" aria-label="[^"]*">(\d+)</a>', content)
    assert match, f"no count links to {url}"
    return int(match.group(1))


def get_csv(panorama, name, params=None, language="en"):
    """A CSV table, served at its URL like a visitor's download."""
    prefix = "" if language == "en" else f"/{language}"
    return Client().get(f"{prefix}/panorama/csv/{name}/", params or {})


def read_csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_totals_and_dimension_tables_equal_the_orm(client, panorama, actors, cartography):
    response = client.get("/panorama/")
    assert response.status_code == 200
    content = text(response)
    base = cartography.url
    assert "<strong>4</strong> published actors in <strong>3</strong> countries" in content
    for code in ("FR", "DE", "BE"):
        assert linked_count(content, f"{base}?country={code}") == (
            live().filter(country=code).count()
        )
    for slug in ("production", "fill-finish", "research-development"):
        assert linked_count(content, f"{base}?stage={slug}") == (
            live().filter(stages__slug=slug).distinct().count()
        )
    assert linked_count(content, f"{base}?type=cdmo") == 2
    assert linked_count(content, f"{base}?scale=commercial") == 2
    assert linked_count(content, f"{base}?gmp=gmp-certified") == 1
    for key in statistics.DIMENSIONS:
        assert f'href="/panorama/csv/{key}/"' in content
    for key in ("country", "type", "stage", "modality", "scale", "gmp"):  # no area given
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in content


def test_charts_write_each_value_and_label(client, panorama, actors):
    content = text(client.get("/panorama/"))
    chart = content[content.index('<svg class="panorama-chart"') :]
    chart = chart[: chart.index("</svg>")]
    assert 'role="img"' in chart and "<title id=" in chart and "<desc id=" in chart
    values = re.findall(r'class="panorama-chart__value"[^>]*>(\d+)</text>', chart)
    labels = re.findall(r'class="panorama-chart__label"[^>]*>([^<]+)</text>', chart)
    assert sorted(zip(labels, map(int, values), strict=True)) == [
        ("Belgium", 1),
        ("France", 2),
        ("Germany", 1),
    ]


def test_crosstab_with_a_slice_links_each_cell(client, panorama, actors, cartography):
    response = client.get("/panorama/", {"rows": "country", "cols": "scale", "type": "cdmo"})
    content = text(response)
    assert "notice--warning" not in content
    assert "Published actors — rows: Country, columns: Scale" in content
    assert "only: Organisation type: CDMO" in content
    base = cartography.url
    for country, scale in (("FR", "commercial"), ("DE", "clinical"), ("DE", "commercial")):
        expected = (
            live()
            .filter(country=country, scales__slug=scale, organisation_type__slug="cdmo")
            .count()
        )
        url = f"{base}?type=cdmo&country={country}&scale={scale}"
        assert re.search(rf'<a href="{re.escape(url)}">{expected}</a>', content), url
    table = content[content.index("panorama-table--crosstab") :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    assert sum(map(int, re.findall(r'heat-\d">(?:<a href="[^"]*">)?(\d+)<', body))) == 3
    assert 'href="/panorama/csv/crosstab/?rows=country&cols=scale&type=cdmo"' in content


@pytest.mark.parametrize(
    "params",
    [
        {"rows": "colour"},
        {"rows": "stage", "cols": "stage"},
        {"type": "no-such-type"},
        {"rows": "country", "cols": "scale", "scale": ["lab", "pilot"]},
        {"rows": "x" * 5000},
    ],
)
def test_bad_crosstab_parameters_show_a_message_and_the_default(client, panorama, actors, params):
    response = client.get("/panorama/", params)
    assert response.status_code == 200
    content = text(response)
    assert "Your choice could not be used; here is the default cross-tabulation." in content
    assert "Published actors — rows: Modality, columns: Value-chain stage" in content
    notice = content[content.index("notice--warning") :]
    assert "x" * 51 not in notice[: notice.index("</div>")]


def test_growth_by_year_with_the_slice(client, panorama, actors):
    ActorPage.objects.filter(pk=actors[0].pk).update(
        first_published_at=datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC)
    )
    statistics.invalidate()
    this_year = timezone.now().year
    response = client.get("/panorama/", {"type": "cdmo"})
    assert response.context["growth"]["series"][-2:] == [(2024, 1, 1), (this_year, 1, 2)]
    assert "2 (+1 new)" in text(response)
    rows = read_csv(get_csv(panorama, "growth", {"type": "cdmo"}))
    assert rows[0] == ["year", "new_actors", "cumulative_actors"]
    assert ["2024", "1", "1"] in rows and [str(this_year), "1", "2"] in rows
    everyone = {int(row[0]): int(row[1]) for row in read_csv(get_csv(panorama, "growth"))[1:]}
    assert everyone[this_year] == live().filter(first_published_at__year=this_year).count() == 3


def test_dimension_csv(client, panorama, actors):
    response = get_csv(panorama, "country")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="cobioe-panorama-country-\d{8}\.csv"', disposition)
    assert read_csv(response) == [
        ["country", "label", "actors"],
        ["FR", "France", "2"],
        ["BE", "Belgium", "1"],
        ["DE", "Germany", "1"],
    ]


def test_crosstab_csv_and_its_bad_parameters(client, panorama, actors):
    rows = read_csv(get_csv(panorama, "crosstab", {"rows": "country", "cols": "scale"}))
    header = rows[0]
    assert header[:2] == ["country", "label"]
    france = next(row for row in rows if row[0] == "FR")
    commercial = header.index("scale:commercial")
    assert int(france[commercial]) == (
        live().filter(country="FR", scales__slug="commercial").count()
    )
    for params in ({"rows": "nope"}, {"rows": "gmp", "cols": "gmp"}, {"area": "elsewhere"}):
        response = get_csv(panorama, "crosstab", params)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")
        assert response.content.decode().strip()
    assert get_csv(panorama, "growth", {"stage": "moon"}).status_code == 400
    assert get_csv(panorama, "nothing").status_code == 404


def test_csv_cells_cannot_run_as_formulas(client, panorama, actors):
    OrganisationType.objects.filter(slug="cdmo").update(name='=HYPERLINK("http://x")')
    statistics.invalidate()
    rows = read_csv(get_csv(panorama, "type"))
    assert ["cdmo", '\'=HYPERLINK("http://x")', "2"] in rows


def test_french_page_shows_french_labels(client, panorama, actors):
    modality = Modality.objects.get(slug="monoclonal-antibodies")
    assert modality.name_fr and modality.name_fr != modality.name
    response = client.get("/fr/panorama/")
    assert response.status_code == 200
    content = text(response)
    assert modality.name_fr in content
    assert "Allemagne" in content
    rows = read_csv(get_csv(panorama, "modality", language="fr"))
    assert ["monoclonal-antibodies", modality.name_fr, "3"] in rows


def page_queries(client) -> tuple[int, list[str]]:
    client.get("/panorama/", {"rows": "country", "cols": "stage"})  # builds the snapshot
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/panorama/", {"rows": "country", "cols": "stage"})
    assert response.status_code == 200
    return len(captured), [query["sql"] for query in captured]


def test_query_count_does_not_grow_with_actors(client, panorama, cartography):
    for index in range(5):
        ActorPageFactory(parent=cartography, country="FR", stages=["production"], title=f"A{index}")
    five, sql = page_queries(client)
    assert not [query for query in sql if "actorpage" in query.lower()], "warm: snapshot only"
    for index in range(25):
        ActorPageFactory(
            parent=cartography, country=["DE", "IT", "ES"][index % 3], stages=["fill-finish"],
            modalities=["vaccines"], title=f"B{index}",
        )  # fmt: skip
    thirty, _ = page_queries(client)
    assert thirty == five
    assert statistics.get_snapshot().total == 30


def test_numbers_change_at_once_when_an_actor_is_published(client, panorama, actors, cartography):
    assert "<strong>4</strong> published actors" in text(client.get("/panorama/"))
    ActorPageFactory(parent=cartography, country="PL")
    content = text(client.get("/panorama/"))
    assert "<strong>5</strong> published actors in <strong>4</strong> countries" in content
    ActorPage.objects.get(pk=actors[3].pk).unpublish()
    content = text(client.get("/panorama/"))
    assert "<strong>4</strong> published actors in <strong>3</strong> countries" in content
