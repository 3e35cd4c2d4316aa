"""The demo's panorama: its page, and coverage estimates to measure the demo map against.

The estimates are **demo data** (their source says so): made from the demo actors
themselves, each country's estimate a deterministic multiple of what is mapped there, so
that the panorama shows every case a real consortium meets: countries well covered,
under-mapped ones, one mapped beyond its estimate, one estimated with no actor yet, and
countries with actors but no estimate.
"""

from __future__ import annotations

import random

from django.db import transaction
from wagtail.models import Page

from cobioe_cms.core.models import ValueChainStage
from cobioe_cms.panorama import statistics
from cobioe_cms.panorama.models import CoverageEstimate, PanoramaPage

DEMO_SOURCE = "COBIOE demo estimate (synthetic, for demonstration only)"
DEMO_YEAR = 2026
# An estimate for a country the demo maps nobody in (its coverage is 0 %).
UNMAPPED_COUNTRY = "IS"


def ensure_panorama(parent: Page) -> PanoramaPage:
    panorama = PanoramaPage.objects.order_by("path").first()
    if panorama is None:
        panorama = parent.add_child(
            instance=PanoramaPage(
                title="Panorama",
                slug="panorama",
                show_in_menus=True,
                intro=(
                    "<p>The sector at a glance: who the mapped actors are, where they work "
                    "on the value chain, how the map grows, and how far it is from the "
                    "consortium's goal of mapping 90 % of Europe's bioproduction actors.</p>"
                ),
            )
        )
    return panorama


@transaction.atomic
def ensure_estimates(seed: int = 1) -> int:
    """Demo estimates for every mapped country, Europe and each top-level stage (once:
    none are added when estimates exist). Returns how many were created."""
    if CoverageEstimate.objects.exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - deterministic demo numbers, not secrets
    estimates = []
    countries = sorted(
        statistics.counts("country"), key=lambda count: (-count.count, count.value.key)
    )
    for position, count in enumerate(countries):
        if position % 5 == 4:
            continue  # a country with actors and no estimate
        # Mostly under-mapped (1.1 to 3 times the mapped actors); the most mapped
        # country is mapped beyond its estimate.
        factor = 0.8 if position == 0 else rng.uniform(1.1, 3.0)
        estimates.append((count.value.key, None, max(1, round(count.count * factor))))
    if UNMAPPED_COUNTRY not in {count.value.key for count in countries}:
        estimates.append((UNMAPPED_COUNTRY, None, 4))
    total = statistics.get_snapshot().total
    estimates.append(("", None, max(1, round(total * 1.6))))
    stages = {count.value.key: count.count for count in statistics.counts("stage")}
    for stage in ValueChainStage.objects.filter(parent__isnull=True):
        mapped = stages.get(stage.slug, 0)
        estimates.append(("", stage, max(1, round(mapped * rng.uniform(1.2, 2.5)))))
    CoverageEstimate.objects.bulk_create(
        CoverageEstimate(
            country=country,
            stage=stage,
            value=value,
            year=DEMO_YEAR,
            source=DEMO_SOURCE,
            note="Demo data: replace with a published census of the sector.",
        )
        for country, stage, value in estimates
    )
    return len(estimates)
