"""Coverage against the goal: mapped actors (counted here with the ORM, independently
of the statistics' snapshot) against the editors' estimates, the block that shows it,
and the estimates' admin."""

import math

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.models.taxonomy import ValueChainStage
from cobioe_cms.panorama import statistics
from cobioe_cms.panorama.coverage import TOTAL_EUROPE, TOTAL_SUM, coverage_summary
from cobioe_cms.panorama.models import CoverageEstimate
from tests.factories.actors import ActorPageFactory

pytestmark = pytest.mark.django_db


def mapped(**filters) -> int:
    """Published actors of a slice, counted with the ORM."""
    return (
        ActorPage.objects.live()
        .public()
        .filter(merged_into__isnull=True, **filters)
        .distinct()
        .count()
    )


def estimate(value, year=2024, country="", stage=None, source="Sector survey", **extra):
    stage_term = ValueChainStage.objects.get(slug=stage) if stage else None
    return CoverageEstimate.objects.create(
        country=country, stage=stage_term, value=value, year=year, source=source, **extra
    )


def render(summary) -> str:
    return render_to_string("cobioe_panorama/includes/coverage.html", {"coverage": summary})


@pytest.fixture
def actors(cartography):
    """FR: 3 (2 in production, one of them at fill & finish), DE: 2, BE: 1 (unpublished
    one more), IT: 1 (no estimate)."""
    make = ActorPageFactory
    make(parent=cartography, country="FR", stages=["production"])
    make(parent=cartography, country="FR", stages=["fill-finish"])
    make(parent=cartography, country="FR", stages=["research-development"])
    make(parent=cartography, country="DE", stages=["production"])
    make(parent=cartography, country="DE", stages=["research-development"])
    make(parent=cartography, country="BE", stages=["production"])
    make(parent=cartography, country="BE", stages=["production"], live=False)
    make(parent=cartography, country="IT")
    statistics.invalidate()


def test_no_estimate_at_all_says_so_and_invites_editors(actors):
    summary = coverage_summary(90)

    assert not summary.has_estimates
    assert summary.total is None and summary.gaps == []
    html = render(summary)
    assert "No reference estimate" in html
    assert 'href="/admin/snippets/cobioe_panorama/coverageestimate/"' in html
    assert "<table" not in html


def test_country_rows_equal_independent_counts(actors):
    estimate(10, country="FR")
    estimate(4, country="DE")
    estimate(1, country="BE")
    summary = coverage_summary(90)

    rows = {row.country: row for row in summary.countries}
    assert set(rows) == {"FR", "DE", "BE"}
    for code, value in (("FR", 10), ("DE", 4), ("BE", 1)):
        assert rows[code].mapped == mapped(country=code)
        assert rows[code].estimate == value
        assert rows[code].percent == pytest.approx(100 * mapped(country=code) / value)
    assert rows["FR"].mapped == 3 and rows["BE"].mapped == 1  # the draft is not counted
    assert rows["FR"].missing == math.ceil(0.9 * 10) - 3
    assert rows["DE"].missing == math.ceil(0.9 * 4) - 2


def test_a_country_with_an_estimate_and_no_actor_is_at_zero(actors):
    estimate(12, country="PL")
    summary = coverage_summary(90)

    poland = summary.country("PL")
    assert (poland.mapped, poland.percent, poland.bar) == (0, 0, 0)
    assert poland.missing == 11
    assert summary.gaps[0].country == "PL"  # the largest gap
    html = render(summary)
    assert "Poland" in html and "0 %" in html


def test_more_actors_than_the_estimate_is_shown_and_flagged(actors):
    estimate(2, country="FR")
    summary = coverage_summary(90)

    france = summary.country("FR")
    assert france.over and france.percent == 150 and france.bar == 100
    assert france.missing == 0 and france not in summary.gaps
    html = render(summary)
    assert "150 %" in html
    assert "More actors mapped than estimated" in html
    assert 'value="100"' in html  # the bar is capped


def test_countries_with_actors_and_no_estimate_are_listed(actors):
    estimate(10, country="FR")
    summary = coverage_summary(90)

    assert [row.country for row in summary.unestimated] == ["BE", "DE", "IT"]
    assert all(row.estimate is None and row.missing == 0 for row in summary.unestimated)
    assert summary.country("IT").mapped == mapped(country="IT") == 1
    html = render(summary)
    assert html.count("no estimate") == 3


def test_the_latest_year_wins(actors):
    estimate(100, year=2021, country="FR", source="Old survey")
    estimate(6, year=2024, country="FR", source="New survey")
    estimate(50, year=2022, country="FR", source="Middle survey")
    summary = coverage_summary(90)

    france = summary.country("FR")
    assert (france.estimate, france.year, france.source) == (6, 2024, "New survey")
    assert len(summary.countries) == 1
    html = render(summary)
    assert "New survey" in html and "Old survey" not in html


def test_stage_estimates_europe_wide_and_per_country(actors):
    estimate(20, stage="production")
    estimate(1, stage="research-development", year=2023)
    estimate(5, country="FR", stage="production")
    summary = coverage_summary(90)

    stages = {row.stage: row for row in summary.stages}
    # Fill & finish is a sub-stage of production: its actor counts for production.
    assert stages["production"].mapped == mapped(stages__slug="production") == 4
    assert stages["research-development"].mapped == mapped(stages__slug="research-development")
    assert stages["research-development"].over
    (france_production,) = summary.country_stages
    assert france_production.where == {"country": "FR", "stage": "production"}
    assert france_production.mapped == mapped(country="FR", stages__slug="production") == 2
    assert [gap.where for gap in summary.gaps] == [
        {"stage": "production"},  # 18 - 4 = 14 missing
        {"country": "FR", "stage": "production"},  # 5 - 2 = 3
    ]


def test_the_european_total_is_the_europe_estimate_when_there_is_one(actors):
    estimate(10, country="FR")
    estimate(40, year=2023)
    summary = coverage_summary(80)

    assert summary.total_basis == TOTAL_EUROPE
    assert summary.total.mapped == mapped() == 7
    assert summary.total.estimate == 40 and summary.total.missing == 32 - 7
    html = render(summary)
    assert "7 actors mapped in Europe out of an estimated 40: 18 % (goal: 80 %)" in html
    assert "European estimate (2023): Sector survey." in html


def test_the_european_total_sums_the_countries_estimates_otherwise(actors):
    estimate(10, country="FR")
    estimate(5, country="DE", year=2022)
    estimate(30, stage="production")  # a stage estimate is not a total
    summary = coverage_summary(90)

    assert summary.total_basis == TOTAL_SUM
    assert summary.total.estimate == 15 and summary.total.year == 2024
    # Only the actors of the estimated countries count against their sum.
    assert summary.total.mapped == mapped(country__in=["FR", "DE"]) == 5
    html = render(summary)
    assert "sum of the estimates of 2 countries" in html


def test_largest_gaps_link_to_the_cartography_and_to_adding_a_profile(actors, cartography):
    estimate(10, country="FR")  # 9 - 3 = 6
    estimate(30, country="DE")  # 27 - 2 = 25
    estimate(3, country="BE")  # 3 - 1 = 2
    summary = coverage_summary(90, gaps=2)

    assert [(gap.country, gap.missing) for gap in summary.gaps] == [("DE", 25), ("FR", 6)]
    html = render(summary)
    assert f'href="{cartography.url}?country=DE"' in html
    assert 'href="/members/organisations/new/"' in html
    assert "25 actors to map (2 mapped of an estimated 30)." in html


def test_the_block_in_french(actors):
    estimate(2, country="FR")
    with translation.override("fr"):
        html = render(coverage_summary(90))
    assert "France" in html and "Allemagne" in html


def test_new_estimates_and_new_actors_show_at_once(actors, cartography):
    assert coverage_summary(90).country("FR").estimate is None
    estimate(10, country="FR")
    assert coverage_summary(90).country("FR").estimate == 10
    ActorPageFactory(parent=cartography, country="FR")  # publishing invalidates
    assert coverage_summary(90).country("FR").mapped == mapped(country="FR") == 4
    CoverageEstimate.objects.filter(country="FR").delete()
    assert coverage_summary(90).country("FR").estimate is None


def test_query_count_does_not_grow_with_actors(cartography):
    def queries_with(actor_count: int) -> int:
        existing = ActorPage.objects.count()
        for n in range(existing, actor_count):
            ActorPageFactory(
                parent=cartography,
                country=("FR", "DE", "BE")[n % 3],
                stages=["production"],
            )
        estimate(actor_count, country="FR", year=2000 + actor_count)
        estimate(actor_count, stage="production", year=2000 + actor_count)
        cache.clear()  # the snapshot and Wagtail's site root paths, built again
        with CaptureQueriesContext(connection) as cold:
            render(coverage_summary(90))
        with CaptureQueriesContext(connection) as warm:
            render(coverage_summary(90))
        return len(cold), len(warm)

    five, thirty = queries_with(5), queries_with(30)
    assert five == thirty
    assert thirty[1] == 2  # warm: the estimates and the cartography's URL


def test_editors_find_filter_and_search_the_estimates(admin_client):
    estimate(10, country="FR", source="French cluster census")
    estimate(7, country="DE", source="German association")

    listing = "/admin/snippets/cobioe_panorama/coverageestimate/"
    response = admin_client.get(listing)
    assert response.status_code == 200
    assert "French cluster census" in response.content.decode()
    assert "German association" in response.content.decode()
    filtered = admin_client.get(listing, {"country": "DE"}).content.decode()
    assert "German association" in filtered and "French cluster census" not in filtered
    searched = admin_client.get(listing, {"q": "census"}).content.decode()
    assert "French cluster census" in searched and "German association" not in searched
    home = admin_client.get("/admin/").content.decode()
    assert "Coverage estimates" in home
