#!/usr/bin/env python
"""Benchmark of the watch classifier: building it and classifying items at 10,000 actors.

Builds a database (a temporary SQLite file, or ``DATABASE_URL``), loads the demo content
with ``load_demo --actors N --seed 1``, then measures:

1. ``Classifier.from_db()``: the phrase index of the taxonomies' labels and keywords,
   the countries and every live actor's name, legal-form variants and acronym;
2. classifying 200 items, each naming one live synthetic actor, a country (Germany) and
   a few taxonomy terms in English and French. Every item must find its actor and only that
   country, as the former pytest test asserted (the target was under 2 s at 10,000
   actors).

    .venv/bin/python tests/perf/bench_classifier.py [--actors 10000] [--items 200] [--keep]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_cartography as base  # noqa: E402 - the shared set-up of the benchmarks

TEXT = (
    "{name} expands its monoclonal antibodies plant in Germany after a funding round "
    "led by European investors; production de lots cliniques attendue en 2027 pour "
    "des thérapies cellulaires en oncologie et maladies rares. "
)


def build(actors: int) -> float:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("load_demo", actors=actors, seed=1, stdout=open(os.devnull, "w"))  # noqa: SIM115
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    temp_db = base.configure()
    print(f"loading {args.actors} demo actors…", file=sys.stderr)
    loaded = build(args.actors)

    from django.db import connection

    from cobioe_cms.actors.models import ActorPage
    from cobioe_cms.watch.ingest.classify import Classifier

    started = time.perf_counter()
    classifier = Classifier.from_db()
    built = time.perf_counter() - started
    names = list(
        ActorPage.objects.live().filter(is_demo=True).values_list("title", flat=True)[: args.items]
    )
    texts = [TEXT.format(name=name) * 2 for name in names]

    started = time.perf_counter()
    results = [classifier.classify(text) for text in texts]
    elapsed = time.perf_counter() - started

    with_actor = sum(1 for result in results if result.actors)
    only_germany = sum(1 for result in results if result.countries == {"DE"})
    live = ActorPage.objects.live().count()
    if connection.vendor == "sqlite":
        engine = f"SQLite {connection.Database.sqlite_version}"
    else:
        engine = f"{connection.vendor} {connection.pg_version}"
    load = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    lines = [
        "# Classifier benchmark",
        "",
        f"- Machine: {os.cpu_count()} CPUs, {platform.platform()}, load average {load}",
        f"- Python {platform.python_version()}, database {engine}",
        f"- Data: `load_demo --actors {args.actors}` in {loaded:.1f} s ({live} live actors)",
        "",
        "| step | time | result |",
        "|---|---:|---|",
        f"| `Classifier.from_db()` | {built:.2f} s | {len(classifier.index)} phrases |",
        f"| classify {len(texts)} items | {elapsed * 1000:.0f} ms"
        f" ({elapsed / max(1, len(texts)) * 1000:.2f} ms per item)"
        f" | actor found in {with_actor}, country DE alone in {only_germany} |",
    ]
    print("\n".join(lines))
    base.remove_temp_db(temp_db, args.keep)
    for name, result in zip(names, results, strict=True):
        if result.countries != {"DE"} or not result.actors:
            print(f"- {name}: countries {sorted(result.countries)}", file=sys.stderr)
    ok = with_actor == only_germany == len(texts)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
