#!/usr/bin/env python
"""Benchmark of the organisation import and the duplicate finder (not part of the tests).

Loads 10,000 demo actors (as ``bench_cartography.py`` does, into a temporary SQLite file
or the database named by ``DATABASE_URL``), generates a 2,000-row CSV in which 10 % of
the rows are near-duplicates of existing actors and 5 % are invalid (fixed seed), then
goes through the admin as an editor, with ``django.test.Client``:

1. parse + preview, three times: upload (read and store the rows), confirm the mapping
   (validation and duplicate detection of every row), first page of the preview. The
   first two imports are cancelled, and the script checks that nothing was written;
2. apply the third (1,700 profiles created in bulk, 200 merges with a revision each);
3. the duplicate finder's list over all actors, cold (cache empty) and warm.

It prints a Markdown report with the times, the SQL query counts and the import report
counts, which must equal the expected ones (the script fails otherwise).

    .venv/bin/python tests/perf/bench_import.py [--actors 10000] [--rows 2000] [--keep]
    DATABASE_URL=postgres://user:password@localhost/bench python tests/perf/bench_import.py
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_cartography as base  # noqa: E402 - the shared set-up of the benchmarks

SEED = 1
PREVIEW_RUNS = 3


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=10_000, help="demo actors to load")
    parser.add_argument("--rows", type=int, default=2_000, help="rows of the imported file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    return parser.parse_args(argv)


class QueryCounter:
    """Counts SQL queries without keeping them (the query log stops at 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(function, *args, **kwargs):
    """(seconds, result, SQL queries) of one call."""
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        elapsed = time.perf_counter() - start
    return elapsed, result, counter.count


class StepTimer:
    """Times the calls of a module-level function while the benchmark runs."""

    def __init__(self, module, name: str):
        self.module, self.name, self.seconds = module, name, 0.0
        self.original = getattr(module, name)

    def __enter__(self):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return self.original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        setattr(self.module, self.name, wrapper)
        return self

    def __exit__(self, *exc):
        setattr(self.module, self.name, self.original)


def build_file(rows: int) -> tuple[bytes, dict]:
    from cobioe_cms.actors.models import ActorPage
    from tests.onboarding.import_files import csv_bytes
    from tests.onboarding.import_files.generate import scenario

    existing = list(ActorPage.objects.values_list("title", "city", "country"))
    header, lines, expected, _targets = scenario(existing, rows=rows, seed=SEED)
    # "CSV UTF-8" as Excel saves it: demo cities include letters cp1252 lacks.
    return b"\xef\xbb\xbf" + csv_bytes([header, *lines], delimiter=";"), expected


def preview(client, content: bytes):
    """Upload, mapping, first preview page; returns (seconds per step, the import)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from cobioe_cms.onboarding.models import ActorImport
    from tests.onboarding.import_files import mapping_post

    steps = {}
    upload = SimpleUploadedFile("cluster-members.csv", content)
    steps["upload"] = timed(client.post, reverse("cobioe_actor_import:upload"), {"file": upload})
    record = ActorImport.objects.latest("pk")
    url = reverse("cobioe_actor_import:mapping", args=[record.pk])
    steps["mapping"] = timed(client.post, url, mapping_post(record))
    url = reverse("cobioe_actor_import:preview", args=[record.pk])
    steps["preview"] = timed(client.get, url)
    for label, (_seconds, response, _queries) in steps.items():
        if response.status_code not in (200, 302):
            raise SystemExit(f"{label} answered {response.status_code}")
    record.refresh_from_db()
    return steps, record


def counts_of_everything() -> tuple[int, int, int]:
    from wagtail.models import Page, PageLogEntry, Revision

    return Page.objects.count(), Revision.objects.count(), PageLogEntry.objects.count()


def main(argv=None) -> int:
    began = time.perf_counter()
    args = parse_args(argv)
    temp_db = base.configure()

    from django.contrib.auth.models import Group, User
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from cobioe_cms.actors.models import ActorPage
    from cobioe_cms.onboarding.reader import read_upload

    try:
        timings = base.load_data(args.actors)
        print(f"Data loaded in {timings['load_demo']:.1f} s", file=sys.stderr, flush=True)
        editor, _ = User.objects.get_or_create(username="bench-editor")
        editor.groups.add(Group.objects.get(name="Editors"))
        client = Client()
        client.force_login(editor)

        start = time.perf_counter()
        content, expected = build_file(args.rows)
        generation = time.perf_counter() - start
        actors_before = ActorPage.objects.count()

        from django.core.files.uploadedfile import SimpleUploadedFile

        parse_times = [
            timed(read_upload, SimpleUploadedFile("f.csv", content))[0] for _ in range(3)
        ]
        previews = []
        for run in range(PREVIEW_RUNS):
            before = counts_of_everything()
            steps, record = preview(client, content)
            previews.append(steps)
            if run < PREVIEW_RUNS - 1:
                client.post(reverse("cobioe_actor_import:cancel", args=[record.pk]))
                if counts_of_everything() != before:
                    raise SystemExit("Cancelling an import wrote pages, revisions or logs")
            print(
                f"  preview {run + 1}: {sum(s[0] for s in steps.values()):.2f} s", file=sys.stderr
            )

        from cobioe_cms.onboarding import apply

        url = reverse("cobioe_actor_import:preview", args=[record.pk])
        with (
            StepTimer(apply, "create_actors") as creating,
            StepTimer(apply, "_merge_row") as merging,
        ):
            apply_seconds, response, apply_queries = timed(client.post, url, {"action": "apply"})
        record.refresh_from_db()
        if record.report.get("counts") != expected:
            raise SystemExit(f"Report {record.report.get('counts')} != expected {expected}")
        created = ActorPage.objects.count() - actors_before
        print(f"  apply: {apply_seconds:.2f} s", file=sys.stderr)

        cache.clear()
        finder_url = reverse("cobioe_actor_import:duplicates")
        cold = timed(client.get, finder_url)
        warm = timed(client.get, finder_url)
        from cobioe_cms.onboarding.finder_views import cached_pairs

        results = {
            "generation": generation,
            "parse": statistics.median(parse_times),
            "previews": previews,
            "record": record,
            "created": created,
            "apply": (apply_seconds, apply_queries, creating.seconds, merging.seconds),
            "finder": (cold, warm, len(cached_pairs())),
            "actors": ActorPage.objects.filter(merged_into__isnull=True).count(),
        }
        info = base.machine()
        print(report(info, timings, args, results, time.perf_counter() - began))
    finally:
        connection.close()
        base.remove_temp_db(temp_db, args.keep)
    return 0


def report(info, timings, args, results, total) -> str:
    previews, record = results["previews"], results["record"]
    apply, finder = results["apply"], results["finder"]

    def median(step: str) -> float:
        return statistics.median(run[step][0] for run in previews)

    def queries(step: str) -> int:
        return previews[-1][step][2]

    counts = record.report["counts"]
    lines = ["## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in info.items()]
    lines += [
        "",
        "## Data",
        "",
        f"- `load_demo --actors {args.actors}`: {timings['load_demo']:.1f} s",
        f"- import file: {args.rows:,} rows, {len(record.rows):,} read; generated in "
        f"{results['generation']:.1f} s (not timed below)",
        "",
        f"## Import (median of {PREVIEW_RUNS} runs for the preview; one apply)",
        "",
        "| Step | Time (s) | SQL queries |",
        "|---|---:|---:|",
        f"| Parse the CSV only (`read_upload`) | {results['parse']:.2f} | 0 |",
        f"| Upload (parse + store the rows) | {median('upload'):.2f} | {queries('upload')} |",
        f"| Mapping (validate + find duplicates, store) | {median('mapping'):.2f} "
        f"| {queries('mapping')} |",
        f"| First preview page (100 rows) | {median('preview'):.2f} | {queries('preview')} |",
        f"| **Parse + preview, total** | **{sum(median(s) for s in previews[0]):.2f}** | |",
        f"| **Apply** ({counts['created']} created, {counts['merged']} merged) "
        f"| **{apply[0]:.2f}** | {apply[1]:,} |",
        f"| of which creating {counts['created']} profiles in bulk | {apply[2]:.2f} | |",
        f"| of which {counts['merged']} merges (revision, publish if live) | {apply[3]:.2f} | |",
        "",
        f"Report: {counts['created']} created, {counts['merged']} merged, "
        f"{counts['skipped']} skipped, {counts['invalid']} invalid (as expected); "
        f"{results['created']} new actor pages. {PREVIEW_RUNS - 1} cancelled imports wrote "
        "no page, revision or log entry.",
        "",
        "## Duplicate finder",
        "",
        f"| List of possible duplicates over {results['actors']:,} actors | Time (s) "
        "| SQL queries |",
        "|---|---:|---:|",
        f"| Cold (pairs computed) | {finder[0][0]:.2f} | {finder[0][2]} |",
        f"| Warm (cached) | {finder[1][0]:.2f} | {finder[1][2]} |",
        "",
        f"{finder[2]:,} pairs proposed. Total benchmark time: {total:.0f} s",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
