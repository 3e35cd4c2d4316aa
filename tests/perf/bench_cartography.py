#!/usr/bin/env python
"""Benchmark of the public cartography with many actors (``make perf``).

Builds a database (a temporary SQLite file, or the one named by ``DATABASE_URL``, e.g.
PostgreSQL), loads the demo content with 10,000 synthetic actors, then measures the
server time of the directory, the map data and the CSV export through
``django.test.Client``: no network and no browser, only Django, the templates and the
database. For each URL: 2 warm-up requests (the second one counts the SQL queries),
then N timed requests; the median and the 95th percentile are printed as a Markdown
table, with the query count, the response size and its gzip-compressed size.

    .venv/bin/python tests/perf/bench_cartography.py [--actors 10000] [--runs 15] [--keep]
    DATABASE_URL=postgres://user:password@localhost/bench make perf
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]

# (label, URL): the scenarios measured, in the order they are printed.
SCENARIOS = (
    ("Directory, no filter", "/cartography/"),
    (
        "Directory, 3 filters",
        "/cartography/?country=FR&stage=production&modality=monoclonal-antibodies",
    ),
    ("Directory, text query", "/cartography/?q=bio"),
    ("Map data, no filter", "/cartography/map/data/"),
    ("CSV export, no filter", "/cartography/export/csv/"),
)
WARMUP = 2
SEED = 1


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=10_000, help="synthetic actors to load")
    parser.add_argument("--runs", type=int, default=15, help="timed requests per URL")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary SQLite database afterwards"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def configure() -> Path | None:
    """Set up paths, settings and the database; returns the temporary DB file, if any."""
    for folder in (REPO_DIR / "site", REPO_DIR):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cobioe_site.settings.test"
    os.environ["DEBUG"] = "False"
    temp_db = None
    if not os.environ.get("DATABASE_URL"):
        handle, name = tempfile.mkstemp(prefix="bench-cobioe-", suffix=".sqlite3")
        os.close(handle)
        temp_db = Path(name)
        os.environ["DATABASE_URL"] = f"sqlite:///{temp_db}"

    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # the test settings say so already; make sure of it
    return temp_db


# -- machine ---------------------------------------------------------------------------


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def machine() -> dict[str, str]:
    import django
    import wagtail
    from django.db import connection

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or platform.machine(),
    )
    memory = next(
        (
            f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
            for line in _read("/proc/meminfo").splitlines()
            if line.startswith("MemTotal:")
        ),
        "unknown",
    )
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    if connection.vendor == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            database = cursor.fetchone()[0].split(" on ")[0].split(",")[0]
    return {
        "Date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": cpu,
        "CPUs (nproc)": str(cores),
        "Memory": memory,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Django / Wagtail": f"{django.get_version()} / {wagtail.__version__}",
        "Database": database,
        "Load average (1/5/15 min)": " / ".join(f"{v:.2f}" for v in os.getloadavg()),
    }


# -- data --------------------------------------------------------------------------------


def load_data(actors: int) -> dict[str, float]:
    """Migrate and run ``load_demo``; returns the durations in seconds."""
    from django.core.management import call_command
    from django.db import connection

    from cobioe_cms.demo.management.commands import load_demo

    timings: dict[str, float] = {}
    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    timings["migrate"] = time.perf_counter() - start

    # Time the bulk generation of the actors on its own, inside the real command.
    original = load_demo.generate_actors

    def timed_generate_actors(*args, **kwargs):
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timings["generate_actors"] = time.perf_counter() - began

    load_demo.generate_actors = timed_generate_actors
    try:
        start = time.perf_counter()
        call_command("load_demo", actors=actors, seed=SEED, site_root=True, stdout=_Quiet())
        timings["load_demo"] = time.perf_counter() - start
    finally:
        load_demo.generate_actors = original

    if connection.vendor == "postgresql":
        # A running site's autovacuum vacuums and analyses the tables within a minute
        # of a bulk load; before that, PostgreSQL plans the facet counts with empty
        # statistics (measured: directory up to ~2x slower), and reads the heap for
        # every row of an index it could answer from alone (no visibility map yet: the
        # search tokens' covering index, ~2x slower for a broad query). Measure the
        # steady state.
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        timings["analyze"] = time.perf_counter() - start
    return timings


class _Quiet:
    def write(self, *args, **kwargs) -> None:
        pass

    def flush(self) -> None:
        pass


def matching_actors(url: str) -> int:
    """How many actors the URL's filters select (computed outside the timed requests)."""
    from django.http import QueryDict

    from cobioe_cms.actors.filters import ActorFilter
    from cobioe_cms.actors.models import CartographyPage

    cartography = CartographyPage.objects.live().first()
    query = url.partition("?")[2]
    return ActorFilter(QueryDict(query), cartography.actors()).filtered().count()


# -- measurements ------------------------------------------------------------------------


def fetch(client, url: str) -> tuple[float, bytes, object]:
    """One request; (milliseconds, body, response). Streaming bodies are fully read."""
    start = time.perf_counter()
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    elapsed = (time.perf_counter() - start) * 1000
    response.close()
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, body, response


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 15 values is the 15th smallest, i.e. the max)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def measure(client, url: str, runs: int) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for index in range(WARMUP):
        if index == WARMUP - 1:
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                _ms, body, _response = fetch(client, url)
            queries = len(captured.captured_queries)
        else:
            fetch(client, url)
    # Timed without the query capture, whose per-query bookkeeping would add to the time.
    times = []
    for _ in range(runs):
        elapsed, body, response = fetch(client, url)
        times.append(elapsed)
    result = {
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "min": min(times),
        "queries": queries,
        "bytes": len(body),
        "gzip": len(gzip.compress(body)),
        "content_type": response.get("Content-Type", ""),
    }
    if "map/data" in url:
        data = json.loads(body)
        result["rows"] = f"{data['total']} ({data['located']} markers)"
    else:
        result["rows"] = str(matching_actors(url))
    return result


# -- report --------------------------------------------------------------------------------


def _kib(size: int) -> str:
    return f"{size:,} B ({size / 1024:,.0f} KiB)" if size >= 10_240 else f"{size:,} B"


def report(info, timings, results, args, total_seconds) -> str:
    lines = ["## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in info.items()]
    lines += [
        "",
        "## Data",
        "",
        f"- `migrate`: {timings['migrate']:.1f} s",
        f"- `load_demo --actors {args.actors} --seed {SEED}`: {timings['load_demo']:.1f} s",
    ]
    if "generate_actors" in timings:
        lines.append(f"  - of which `generate_actors()`: {timings['generate_actors']:.1f} s")
    else:
        lines.append("  - the actors were already loaded: nothing generated")
    if "analyze" in timings:
        lines.append(f"- `VACUUM ANALYZE` (PostgreSQL): {timings['analyze']:.1f} s")
    lines += [
        "",
        f"## Server time ({WARMUP} warm-up requests, then {args.runs} timed requests per URL)",
        "",
        "| Request | Actors matched | Median (ms) | p95 (ms) | Min (ms) | SQL queries "
        "| Response size | gzip size |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (label, url), result in zip(SCENARIOS, results, strict=True):
        lines.append(
            f"| {label}<br>`{url}` | {result['rows']} | {result['median']:.1f} "
            f"| {result['p95']:.1f} | {result['min']:.1f} | {result['queries']} "
            f"| {_kib(result['bytes'])} | {_kib(result['gzip'])} |"
        )
    lines += ["", f"Total benchmark time: {total_seconds:.0f} s", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    began = time.perf_counter()
    args = parse_args(argv)
    temp_db = configure()

    from django.db import connection
    from django.test import Client

    try:
        print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}", file=sys.stderr)
        timings = load_data(args.actors)
        print(
            f"Data loaded in {timings['load_demo']:.1f} s; measuring...",
            file=sys.stderr,
            flush=True,
        )
        client = Client()
        results = []
        for label, url in SCENARIOS:
            results.append(measure(client, url, args.runs))
            print(f"  {label}: median {results[-1]['median']:.1f} ms", file=sys.stderr)
        info = machine()
        print(report(info, timings, results, args, time.perf_counter() - began))
    finally:
        connection.close()
        remove_temp_db(temp_db, args.keep)
    return 0


def remove_temp_db(temp_db: Path | None, keep: bool) -> None:
    """Delete the benchmark's temporary SQLite database (and its journals)."""
    if temp_db is None:
        return
    if keep:
        print(f"Kept the database: {temp_db}", file=sys.stderr)
        return
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{temp_db}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
