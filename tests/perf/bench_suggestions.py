#!/usr/bin/env python
"""Benchmark of the suggested partners with many actors.

Builds a database (a temporary SQLite file, or ``DATABASE_URL``): ``migrate``,
``load_demo --actors 10000 --seed 1 --site-root`` (the set-up of the other benchmarks,
``bench_cartography``), then an opportunities board with a few opportunities posted by
generated actors: broad and narrow requests, offers, a research partnership.

Measures, with ``DEBUG`` off, the ranking itself (``suggestions.for_opportunity`` and
``suggestions.for_organisation``: SQL and Python, no template) and the opportunity page
through ``django.test.Client``: 2 warm-up calls (the second one counts the SQL queries),
then N timed calls; median (p50), p95 (nearest rank) and max. The script exits 1 if the
median ranking for one opportunity reaches 200 ms.

    .venv/bin/python tests/perf/bench_suggestions.py [--actors 10000] [--runs 30] [--keep]
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_cartography as base  # noqa: E402 - the shared set-up of the benchmarks

WARMUP = 2
SEED = 1
BUDGET_MS = 200

# (label, direction, kind, facts): the opportunities measured.
OPPORTUNITIES = (
    (
        "Request: GMP fill & finish, viral vectors, commercial, PT/ES",
        "request",
        "capacity",
        {
            "stages": ["fill-finish"],
            "modalities": ["gene-therapies-viral-vectors"],
            "scales": ["commercial"],
            "gmp": "gmp-certified",
            "countries": ["PT", "ES"],
        },
    ),
    (
        "Request (broad): production, 3 modalities, 2 areas",
        "request",
        "service",
        {
            "stages": ["production", "quality-control"],
            "modalities": ["monoclonal-antibodies", "recombinant-proteins", "vaccines"],
            "therapeutic_areas": ["oncology", "infectious-diseases"],
            "scales": ["clinical"],
        },
    ),
    (
        "Offer: QC for mRNA",
        "offer",
        "service",
        {"stages": ["quality-control"], "modalities": ["mrna-nucleic-acids"]},
    ),
    (
        "Offer: clinical manufacturing, cell therapies",
        "offer",
        "capacity",
        {
            "stages": ["clinical-manufacturing"],
            "modalities": ["cell-therapies"],
            "scales": ["clinical"],
            "gmp": "gmp-certified",
        },
    ),
    (
        "Research partnership: R&D, peptides, oncology",
        "request",
        "research",
        {
            "stages": ["research-development"],
            "modalities": ["peptides"],
            "therapeutic_areas": ["oncology"],
        },
    ),
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=10_000, help="synthetic actors to load")
    parser.add_argument("--runs", type=int, default=30, help="timed calls per case")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.actors < 50:
        parser.error("--runs >= 1 and --actors >= 50, please")
    return args


# -- data --------------------------------------------------------------------------------


def _terms(model, slugs):
    return list(model.objects.filter(slug__in=slugs or []))


def build(args) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from wagtail.models import Site

    from cobioe_cms.actors.models import ActorPage
    from cobioe_cms.community.models import OpportunityBoardPage, OpportunityPage
    from cobioe_cms.core import models as taxonomy

    timings: dict[str, float] = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    timings["migrate"] = time.perf_counter() - started
    started = time.perf_counter()
    call_command("load_demo", actors=args.actors, seed=SEED, site_root=True, stdout=base._Quiet())
    timings[f"load_demo --actors {args.actors} --seed {SEED}"] = time.perf_counter() - started

    started = time.perf_counter()
    board = OpportunityBoardPage.objects.first()
    if board is None:
        root = Site.objects.get(is_default_site=True).root_page
        board = OpportunityBoardPage(title="Opportunities", slug="opportunities")
        root.add_child(instance=board)
    posters = list(ActorPage.objects.filter(is_demo=True).order_by("pk")[:: args.actors // 7])
    cases = []
    for n, (label, direction, kind, facts) in enumerate(OPPORTUNITIES):
        existing = OpportunityPage.objects.filter(slug=f"bench-{n}").first()
        if existing is not None:  # a database kept from a previous run
            cases.append((label, existing))
            continue
        opportunity = OpportunityPage(
            title=f"Bench: {label}",
            slug=f"bench-{n}",
            organisation=posters[n],
            direction=direction,
            kind=kind,
            description=label,
            gmp_status=(
                taxonomy.GMPStatus.objects.get(slug=facts["gmp"]) if "gmp" in facts else None
            ),
            countries=facts.get("countries", []),
            expires_on=timezone.localdate() + datetime.timedelta(days=90),
        )
        opportunity.stages = _terms(taxonomy.ValueChainStage, facts.get("stages"))
        opportunity.modalities = _terms(taxonomy.Modality, facts.get("modalities"))
        opportunity.therapeutic_areas = _terms(
            taxonomy.TherapeuticArea, facts.get("therapeutic_areas")
        )
        opportunity.scales = _terms(taxonomy.Scale, facts.get("scales"))
        board.add_child(instance=opportunity)
        opportunity.save_revision().publish()
        cases.append((label, opportunity))
    timings["board and opportunities"] = time.perf_counter() - started

    if connection.vendor == "postgresql":  # the steady state autovacuum reaches (see base)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        timings["VACUUM ANALYZE"] = time.perf_counter() - started
    return {"timings": timings, "cases": cases, "posters": posters}


# -- measurements ------------------------------------------------------------------------


def measure(call, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    with CaptureQueriesContext(connection) as captured:
        result = call()
    queries = len(captured.captured_queries)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return {
        "median": statistics.median(times),
        "p95": base.percentile(times, 0.95),
        "max": max(times),
        "queries": queries,
        "result": result,
    }


def _candidates(need) -> int:
    from cobioe_cms.community import suggestions

    return len(suggestions.candidates(need, limit=100_000))


def run(data: dict, args) -> list[tuple[str, str, dict]]:
    from django.test import Client

    from cobioe_cms.community import suggestions

    rows = []
    client = Client()
    for label, opportunity in data["cases"]:
        result = measure(lambda o=opportunity: suggestions.for_opportunity(o), args.runs)
        result["shared"] = _candidates(suggestions.need_of_opportunity(opportunity))
        rows.append((label, "ranking", result))
        print(f"  {label}: median {result['median']:.1f} ms", file=sys.stderr)
    label, opportunity = data["cases"][0]
    page = measure(lambda: base.fetch(client, opportunity.url), args.runs)
    page["shared"], page["result"] = rows[0][2]["shared"], rows[0][2]["result"]
    rows.append((label, "opportunity page (HTTP)", page))
    for actor in data["posters"][:3]:
        result = measure(lambda a=actor: suggestions.for_organisation(a), args.runs)
        result["shared"] = _candidates(suggestions.need_of_organisation(actor))
        rows.append((f"Organisation: {actor.title}", "ranking", result))
    return rows


def report(info, data, rows, args, total: float) -> str:
    lines = ["## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in info.items()]
    lines += ["", "## Data", ""]
    lines += [f"- {step}: {seconds:.1f} s" for step, seconds in data["timings"].items()]
    lines += [
        "",
        f"## Time ({WARMUP} warm-up calls, then {args.runs} timed calls per case)",
        "",
        "| Case | What | Actors sharing a stage or modality | Shown | p50 (ms) | p95 (ms) "
        "| Max (ms) | SQL queries |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, what, r in rows:
        lines.append(
            f"| {label} | {what} | {r['shared']} | {len(r['result'])} | {r['median']:.1f} "
            f"| {r['p95']:.1f} | {r['max']:.1f} | {r['queries']} |"
        )
    lines += ["", f"Total benchmark time: {total:.0f} s", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    began = time.perf_counter()
    args = parse_args(argv)
    temp_db = base.configure()

    from django.db import connection

    try:
        print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}", file=sys.stderr)
        data = build(args)
        print(f"Data built: {data['timings']}; measuring...", file=sys.stderr, flush=True)
        rows = run(data, args)
        print(report(base.machine(), data, rows, args, time.perf_counter() - began))
    finally:
        connection.close()
        base.remove_temp_db(temp_db, args.keep)
    slow = [(label, r["median"]) for label, what, r in rows if what == "ranking"]
    slow = [(label, ms) for label, ms in slow if ms >= BUDGET_MS]
    if slow:
        print(f"Rankings over {BUDGET_MS} ms: {slow}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
