"""Coverage: how many of the sector's actors are mapped, against the editors' estimates.

Mapped counts come from the statistics' snapshot (:mod:`.statistics`); the estimates
(:class:`~.models.CoverageEstimate`, a few rows) are read fresh, in one query, so that an
estimate an editor saves shows at once and a page costs the same queries whatever the
number of actors. For each scope (a country or all of Europe, a stage or all stages) the
latest year's estimate wins.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from cobioe_cms.core.countries import country_name

from . import statistics
from .models import CoverageEstimate

GAPS = 5  # how many of the largest gaps the panorama lists

# The European total's basis, said on the page.
TOTAL_EUROPE = "europe"  # the all-Europe, all-stages estimate
TOTAL_SUM = "sum"  # the sum of the countries' all-stages estimates


@dataclass(frozen=True)
class CoverageRow:
    """Mapped actors of one scope against its estimate (``estimate`` None: no estimate).

    ``where`` is the scope as the cartography's query parameters (``country``,
    ``stage``); an empty ``where`` is all of Europe.
    """

    label: str
    mapped: int
    goal: int
    where: Mapping[str, str] = field(default_factory=dict)
    estimate: int | None = None
    year: int | None = None
    source: str = ""
    source_url: str = ""
    cartography_url: str = ""

    @property
    def country(self) -> str:
        return self.where.get("country", "")

    @property
    def stage(self) -> str:
        return self.where.get("stage", "")

    @property
    def percent(self) -> float | None:
        """Mapped ÷ estimated, in % (may exceed 100)."""
        if not self.estimate:
            return None
        return 100 * self.mapped / self.estimate

    @property
    def percent_rounded(self) -> int | None:
        percent = self.percent
        return None if percent is None else round(percent)

    @property
    def bar(self) -> float:
        """The bar's width in %: capped at 100."""
        return min(self.percent or 0, 100)

    @property
    def over(self) -> bool:
        """More actors mapped than estimated."""
        return self.estimate is not None and self.mapped > self.estimate

    @property
    def target(self) -> int | None:
        """The actors to map to reach the goal (goal % of the estimate, rounded up)."""
        if self.estimate is None:
            return None
        return math.ceil(self.goal * self.estimate / 100)

    @property
    def missing(self) -> int:
        """Actors still to map to reach the goal (0 when reached)."""
        target = self.target
        return max(target - self.mapped, 0) if target is not None else 0

    @property
    def reached(self) -> bool:
        return self.estimate is not None and self.missing == 0


@dataclass
class CoverageSummary:
    """Everything the coverage block shows.

    ``countries``: the countries with an all-stages estimate (by name);
    ``unestimated``: countries with published actors and no such estimate;
    ``stages``: Europe-wide estimates per stage, then ``country_stages`` per country and
    stage; ``total``: the European total (``total_basis`` says how it was made);
    ``gaps``: the largest gaps to the goal, countries and stages together.
    """

    goal: int
    countries: list[CoverageRow] = field(default_factory=list)
    unestimated: list[CoverageRow] = field(default_factory=list)
    stages: list[CoverageRow] = field(default_factory=list)
    country_stages: list[CoverageRow] = field(default_factory=list)
    total: CoverageRow | None = None
    total_basis: str = ""
    gaps: list[CoverageRow] = field(default_factory=list)
    add_url: str = ""
    admin_url: str = ""

    @property
    def has_estimates(self) -> bool:
        return bool(self.countries or self.stages or self.country_stages or self.total)

    @property
    def total_is_sum(self) -> bool:
        return self.total_basis == TOTAL_SUM

    @property
    def tables(self) -> list[dict]:
        """The tables of the coverage block: id, caption, first column's heading, rows."""
        tables = []
        if self.countries or self.unestimated:
            tables.append(
                {
                    "id": "coverage-countries",
                    "caption": _("Coverage per country"),
                    "heading": _("Country"),
                    "rows": [*self.countries, *self.unestimated],
                }
            )
        if self.stages:
            tables.append(
                {
                    "id": "coverage-stages",
                    "caption": _("Coverage per value-chain stage, all of Europe"),
                    "heading": _("Value-chain stage"),
                    "rows": self.stages,
                }
            )
        if self.country_stages:
            tables.append(
                {
                    "id": "coverage-country-stages",
                    "caption": _("Coverage per country and value-chain stage"),
                    "heading": _("Country and stage"),
                    "rows": self.country_stages,
                }
            )
        return tables

    def country(self, code: str) -> CoverageRow | None:
        """The country's all-stages row (estimated or not), if it has one."""
        for row in (*self.countries, *self.unestimated):
            if row.country == code:
                return row
        return None


def latest_estimates() -> dict[tuple[str, str], CoverageEstimate]:
    """(country code or "", stage slug or "") -> the latest year's estimate (1 query)."""
    latest: dict[tuple[str, str], CoverageEstimate] = {}
    for estimate in CoverageEstimate.objects.select_related("stage").order_by("year", "pk"):
        scope = (str(estimate.country or ""), estimate.stage.slug if estimate.stage_id else "")
        latest[scope] = estimate  # later years overwrite earlier ones
    return latest


def _reverse(name: str, *args) -> str:
    """The URL of ``name``, or "" where that app is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def cartography_base_url(request=None) -> str:
    """The live cartography's URL ("" without one): slices add their query string."""
    from cobioe_cms.actors.models import CartographyPage

    page = CartographyPage.objects.live().first()
    return (page.get_url(request) or "") if page else ""


def cartography_slice_url(base: str, where: Mapping[str, str]) -> str:
    if not base:
        return ""
    return f"{base}?{urlencode(where)}" if where else base


def coverage_summary(
    goal: int, request=None, gaps: int = GAPS, cartography_url: str | None = None
) -> CoverageSummary:
    """The coverage of the published actors against the estimates and ``goal`` (%).

    Costs the snapshot's cache read, one query for the estimates and one for the
    cartography's URL (none when the caller gives it), whatever the number of actors
    or estimates.
    """
    snapshot = statistics.get_snapshot()
    estimates = latest_estimates()
    base = cartography_base_url(request) if cartography_url is None else cartography_url

    def row(where: dict[str, str], label: str, estimate: CoverageEstimate | None = None):
        mapped = snapshot.slice_bits(where).bit_count()
        return CoverageRow(
            label=label,
            mapped=mapped,
            goal=goal,
            where=where,
            estimate=estimate.value if estimate else None,
            year=estimate.year if estimate else None,
            source=estimate.source if estimate else "",
            source_url=estimate.source_url if estimate else "",
            cartography_url=cartography_slice_url(base, where),
        )

    def country_label(code: str) -> str:
        value = snapshot.value("country", code)
        return value.label if value else country_name(code)

    def stage_label(slug: str) -> str:
        value = snapshot.value("stage", slug)
        return value.label if value else slug

    summary = CoverageSummary(
        goal=goal,
        add_url=_reverse("members:create_organisation"),
        admin_url=_reverse("wagtailsnippets_cobioe_panorama_coverageestimate:list"),
    )
    for (code, slug), estimate in estimates.items():
        if code and not slug:
            summary.countries.append(row({"country": code}, country_label(code), estimate))
        elif slug and not code:
            summary.stages.append(row({"stage": slug}, stage_label(slug), estimate))
        elif code and slug:
            label = f"{country_label(code)} · {stage_label(slug)}"
            summary.country_stages.append(row({"country": code, "stage": slug}, label, estimate))
    estimated = {row.country for row in summary.countries}
    summary.unestimated = [
        row({"country": value.key}, value.label)
        for value in snapshot.values.get("country", ())
        if value.bits and value.key not in estimated
    ]
    stage_order = {value.key: position for position, value in enumerate(snapshot.values["stage"])}
    summary.countries.sort(key=lambda r: r.label)
    summary.unestimated.sort(key=lambda r: r.label)
    summary.stages.sort(key=lambda r: stage_order.get(r.stage, 0))
    summary.country_stages.sort(
        key=lambda r: (country_label(r.country), stage_order.get(r.stage, 0))
    )

    europe = estimates.get(("", ""))
    if europe is not None:
        summary.total = row({}, str(_("Europe")), europe)
        summary.total_basis = TOTAL_EUROPE
    elif summary.countries:
        bits = 0
        for country_row in summary.countries:
            bits |= snapshot.slice_bits({"country": country_row.country})
        summary.total = CoverageRow(
            label=str(_("Europe")),
            mapped=bits.bit_count(),
            goal=goal,
            estimate=sum(r.estimate for r in summary.countries),
            year=max(r.year for r in summary.countries),
            cartography_url=base,
        )
        summary.total_basis = TOTAL_SUM

    candidates = [
        r for r in (*summary.countries, *summary.stages, *summary.country_stages) if r.missing
    ]
    candidates.sort(key=lambda r: (-r.missing, r.label))
    summary.gaps = candidates[:gaps]
    return summary
