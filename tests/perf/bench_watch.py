#!/usr/bin/env python
"""Benchmark of the economic watch: matching and digests at realistic size.

Builds a database (a temporary SQLite file, or ``DATABASE_URL``), then in bulk:
20,000 members with interest profiles (2-4 terms, a country, sometimes a keyword,
an opted-in daily digest), 1,000 actors followed by some of them, and 1,000 new
watch items classified on the taxonomies. Measures:

1. matching the 1,000 new items against the 20,000 profiles in one batch
   (``DatabaseMatcher.profiles_for_items``);
2. building and sending the daily digests of the 20,000 members (e-mails go to
   Django's in-memory backend, so this is the platform's own time, not SMTP's).

    .venv/bin/python tests/perf/bench_watch.py [--members 20000] [--items 1000] [--keep]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]


def configure() -> Path | None:
    for folder in (REPO_DIR / "site", REPO_DIR):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cobioe_site.settings.test"
    temp_db = None
    if not os.environ.get("DATABASE_URL"):
        handle, name = tempfile.mkstemp(prefix="bench-watch-", suffix=".sqlite3")
        os.close(handle)
        temp_db = Path(name)
        os.environ["DATABASE_URL"] = f"sqlite:///{temp_db}"
    import django

    django.setup()
    return temp_db


def build(members: int, item_count: int, seed: int) -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone

    from cobioe_cms.actors.models import ActorPage
    from cobioe_cms.core.models import Modality, TherapeuticArea, ValueChainStage
    from cobioe_cms.core.text import fold
    from cobioe_cms.watch.models import InterestProfile, Source, WatchItem

    rnd = random.Random(seed)
    call_command("migrate", verbosity=0)
    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("load_demo", actors=1000, seed=seed, site_root=True, stdout=quiet)
    stages = list(ValueChainStage.objects.values_list("pk", flat=True))
    modalities = list(Modality.objects.values_list("pk", flat=True))
    areas = list(TherapeuticArea.objects.values_list("pk", flat=True))
    actors = list(ActorPage.objects.values_list("pk", flat=True))
    countries = ["FR", "DE", "GB", "IT", "ES", "NL", "BE", "CH", "PT", "PL"]
    words = ["perfusion", "bioreactor", "aav", "lnp", "biosimilar", "car t", "fill finish"]
    now = timezone.now()

    User.objects.bulk_create(
        [User(username=f"member{n}", email=f"member{n}@example.org") for n in range(members)],
        batch_size=2000,
    )
    user_ids = list(User.objects.filter(username__startswith="member").values_list("pk", flat=True))
    InterestProfile.objects.bulk_create(
        [
            InterestProfile(
                user_id=uid,
                countries=[rnd.choice(countries)] if rnd.random() < 0.5 else [],
                keywords=rnd.choice(words) if rnd.random() < 0.3 else "",
                digest="daily",
                digest_opt_in_at=now - timezone.timedelta(days=3),
            )
            for uid in user_ids
        ],
        batch_size=2000,
    )
    _link_random_terms(
        InterestProfile,
        list(InterestProfile.objects.values_list("pk", flat=True)),
        rnd,
        (
            ("stages", stages, 0, 2),
            ("modalities", modalities, 1, 2),
            ("therapeutic_areas", areas, 0, 1),
            ("followed_actors", actors, 0, 2),
        ),
    )
    source = Source.objects.create(name="Bench feed", url="https://bench.example/feed")
    WatchItem.objects.bulk_create(
        [
            WatchItem(
                source=source,
                title=f"Item {n} about {rnd.choice(words)}",
                url=f"https://bench.example/{n}",
                published_at=now,
                title_key=f"item {n}",
                keywords_text=fold(f"Item {n} about {rnd.choice(words)}"),
                countries=[rnd.choice(countries)],
            )
            for n in range(item_count)
        ],
        batch_size=2000,
    )
    _link_random_terms(
        WatchItem,
        list(WatchItem.objects.values_list("pk", flat=True)),
        rnd,
        (
            ("stages", stages, 1, 2),
            ("modalities", modalities, 1, 2),
            ("therapeutic_areas", areas, 0, 1),
            ("actors", actors, 0, 1),
        ),
    )


def _link_random_terms(model, ids: list[int], rnd, relations) -> None:
    """Fill ``model``'s many-to-many relations in bulk: for each (relation, pool, low,
    high), every object gets between low and high random terms of the pool."""
    for relation, pool, low, high in relations:
        field = model._meta.get_field(relation)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [
                through(**{f"{source}_id": pk, f"{target}_id": term})
                for pk in ids
                for term in rnd.sample(pool, rnd.randint(low, high))
            ],
            batch_size=5000,
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--items", type=int, default=1_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    temp_db = configure()
    from django.core import mail
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()  # e-mails to the in-memory outbox
    started = time.perf_counter()
    build(args.members, args.items, seed=1)
    built = time.perf_counter() - started

    from cobioe_cms.watch.digests import send_digests
    from cobioe_cms.watch.matching import DatabaseMatcher
    from cobioe_cms.watch.models import WatchItem

    items = list(WatchItem.objects.all())
    started = time.perf_counter()
    matches = DatabaseMatcher().profiles_for_items(items)
    matching = time.perf_counter() - started
    pairs = sum(len(ids) for ids in matches.values())

    started = time.perf_counter()
    stats = send_digests("daily")
    digesting = time.perf_counter() - started

    if connection.vendor == "sqlite":
        engine = f"SQLite {connection.Database.sqlite_version}"
    else:
        engine = f"{connection.vendor} {connection.pg_version}"
    per_member = digesting / max(1, args.members) * 1000
    lines = [
        "# Watch benchmark",
        "",
        f"- Machine: {os.cpu_count()} CPUs, {platform.platform()}",
        f"- Python {platform.python_version()}, database {engine}",
        f"- Data: {args.members} members with interest profiles, {args.items} new items,"
        f" 1,000 actors (built in {built:.1f} s)",
        "",
        "| step | time | result |",
        "|---|---:|---|",
        f"| match {len(items)} items against {args.members} profiles | {matching:.2f} s"
        f" | {pairs} (item, member) matches |",
        f"| build and send the daily digests | {digesting:.1f} s ({per_member:.1f} ms"
        f" per member) | {stats}; {len(mail.outbox)} e-mails |",
    ]
    print("\n".join(lines))
    if temp_db and not args.keep:
        temp_db.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
