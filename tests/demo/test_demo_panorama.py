"""`load_demo` gives a newcomer a panorama with coverage to look at (issue 14): the page,
and demo estimates covering every case the coverage block shows."""

import io

import pytest
from django.core.management import call_command

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.demo.panorama import DEMO_SOURCE, UNMAPPED_COUNTRY
from cobioe_cms.panorama.models import CoverageEstimate, PanoramaPage


def load(**options):
    call_command("load_demo", stdout=io.StringIO(), **options)


@pytest.mark.django_db
def test_load_demo_adds_the_panorama_and_estimates_once():
    load(site_root=True, actors=40, seed=1)
    estimates = CoverageEstimate.objects.count()
    load(site_root=True, actors=40, seed=1)  # idempotent

    assert PanoramaPage.objects.live().count() == 1
    assert CoverageEstimate.objects.count() == estimates
    assert set(CoverageEstimate.objects.values_list("source", flat=True)) == {DEMO_SOURCE}

    live = ActorPage.objects.live()
    mapped = {
        code: live.filter(country=code).count()
        for code in set(live.values_list("country", flat=True))
    }
    by_country = {
        e.country: e.value for e in CoverageEstimate.objects.filter(stage=None).exclude(country="")
    }
    # Under-mapped countries, one mapped beyond its estimate, one estimated and unmapped,
    # some mapped with no estimate.
    assert any(mapped.get(code, 0) < value for code, value in by_country.items())
    assert any(mapped[code] > value for code, value in by_country.items() if code in mapped)
    assert by_country[UNMAPPED_COUNTRY] > 0 and UNMAPPED_COUNTRY not in mapped
    assert set(mapped) - set(by_country)
    # Europe, all stages and each top-level stage.
    assert CoverageEstimate.objects.filter(country="", stage=None).count() == 1
    assert CoverageEstimate.objects.filter(country="").exclude(stage=None).count() >= 5
