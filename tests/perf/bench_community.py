#!/usr/bin/env python
"""Benchmark of the working groups' discussions: a busy group and a long thread.

Builds a database (a temporary SQLite file, or ``DATABASE_URL``): ``migrate``,
``load_demo --actors 200 --seed 1 --site-root`` (the demo groups), then a public open
group with 1,000 threads (40 members wrote them; each but one has 0-3 replies, about
1,500 in all) and one thread with 500 replies, nested: 100 answers to the thread, each
with a chain of three answers (levels 1, 2, 3) and a second answer at level 1. A small
group (10 threads, one of them with 10 replies) is the baseline of the query counts.

Measures, through ``django.test.Client`` with ``DEBUG`` off (server time: routing,
middleware, views, queries, templates; no network), the group page (first page and a
deep one), the thread page (first page: 50 answers to the thread and their answers), and
the coordinator's moderation page: 2 warm-up requests (the second one counts the SQL
queries), then N timed requests; median, p95 (nearest rank) and max. Then compares the
query counts of the small group and thread with the large ones: they must be equal (the
script exits 1 otherwise).

    .venv/bin/python tests/perf/bench_community.py [--threads 1000] [--replies 500]
        [--runs 30] [--keep]
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_cartography as base  # noqa: E402 - the shared set-up of the benchmarks

WARMUP = 2
SEED = 1
WORDS = [
    *("LNP", "mixing", "scale-up", "capping", "yield", "potency", "assay", "release"),
    *("AAV", "capsid", "ratio", "sterility", "media", "fill", "Annex", "perfusion"),
    *("bioreactor", "downstream", "chromatography", "finish"),
]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1_000, help="threads in the big group")
    parser.add_argument("--replies", type=int, default=500, help="replies in the long thread")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per URL")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.threads < 60 or args.replies < 10:
        parser.error("--runs >= 1, --threads >= 60 and --replies >= 10, please")
    return args


# -- data --------------------------------------------------------------------------------


def _sentence(rnd: random.Random, words: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(words)).capitalize() + "."


def _members(count: int, prefix: str, joined):
    from django.contrib.auth import get_user_model

    from cobioe_cms.members.models import MemberProfile

    user_model = get_user_model()
    user_model.objects.bulk_create(
        [
            user_model(
                username=f"{prefix}{n}", email=f"{prefix}{n}@example.org", date_joined=joined
            )
            for n in range(count)
        ]
    )
    users = list(user_model.objects.filter(username__startswith=prefix).order_by("pk"))
    MemberProfile.objects.bulk_create(
        [MemberProfile(user=u, full_name=f"Bench Member {n}") for n, u in enumerate(users)]
    )
    return users


def _group(index, title: str, slug: str):
    from cobioe_cms.community.models import WorkingGroupPage

    group = WorkingGroupPage(
        title=title,
        slug=slug,
        summary="Benchmark group.",
        mission="<p>Benchmark group.</p>",
        membership_policy="open",
        discussion_visibility="public",
    )
    index.add_child(instance=group)
    group.save_revision().publish()
    return group


def _reply(thread, user, text: str, when, parent=None):
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType

    from cobioe_cms.community.models import Reply, Thread

    reply = Reply(
        content_type=ContentType.objects.get_for_model(Thread),
        object_pk=str(thread.pk),
        site_id=settings.SITE_ID,
        user=user,
        user_name=user.member_profile.full_name,
        user_email=user.email,
        comment=text,
        submit_date=when,
        is_public=True,
        parent_id=parent.pk if parent else 0,
    )
    reply.save()
    return reply


def _threads(group, authors, count: int, rnd: random.Random, start) -> list:
    from cobioe_cms.community.models import Thread

    Thread.objects.bulk_create(
        [
            Thread(
                group=group,
                author=(author := authors[n % len(authors)]),
                author_name=author.member_profile.full_name,
                title=f"{_sentence(rnd, 6)[:-1]} ({n})",
                body="\n\n".join(_sentence(rnd, 25) for _ in range(3)),
                created_at=start + datetime.timedelta(minutes=30 * n),
                last_activity_at=start + datetime.timedelta(minutes=30 * n + 10),
                is_pinned=n in (3, 17),
            )
            for n in range(count)
        ],
        batch_size=500,
    )
    return list(group.threads.order_by("pk"))


def _long_thread(thread, authors, replies: int, rnd: random.Random, start) -> None:
    """``replies`` answers: groups of 5, an answer to the thread with a chain of three
    answers (levels 1-3) and a second answer at level 1."""
    from cobioe_cms.community.discussions import recount

    made = 0
    when = start
    while made < replies:
        parent = root = None
        for level in range(min(5, replies - made)):
            when += datetime.timedelta(minutes=7)
            author = authors[(made + level) % len(authors)]
            text = _sentence(rnd, 30) + (" @genopole" if level == 2 else "")
            if level == 4:  # a second answer to the root
                parent = root
            reply = _reply(thread, author, text, when, parent)
            if level == 0:
                root = reply
            parent = reply
        made += min(5, replies - made)
    thread.last_activity_at = when
    thread.save(update_fields=["last_activity_at"])
    recount(thread)


def build(args, rnd: random.Random) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from cobioe_cms.community.discussions import recount
    from cobioe_cms.community.memberships import make_coordinator
    from cobioe_cms.community.models import GroupMembership, WorkingGroupIndexPage

    timings: dict[str, float] = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", actors=200, seed=SEED, site_root=True, stdout=base._Quiet())
    timings["migrate + load_demo"] = time.perf_counter() - started

    started = time.perf_counter()
    long_ago = timezone.now() - datetime.timedelta(days=400)
    authors = _members(40, "bench-member-", long_ago)
    index = WorkingGroupIndexPage.objects.get()
    big, small = (
        _group(index, "Bench: busy group", "bench-busy"),
        _group(index, "Bench: small group", "bench-small"),
    )
    for group in (big, small):
        make_coordinator(group, authors[0])
        GroupMembership.objects.bulk_create(
            [GroupMembership(group=group, user=u, status="active") for u in authors[1:]]
        )
    threads = _threads(big, authors, args.threads, rnd, long_ago)
    small_threads = _threads(small, authors, 10, rnd, long_ago)
    timings["threads"] = time.perf_counter() - started

    started = time.perf_counter()
    long_thread, other = threads[-1], threads[:-1]
    with transaction.atomic():  # one commit (on SQLite, one disk sync) for all
        _long_thread(long_thread, authors, args.replies, rnd, long_ago + datetime.timedelta(days=1))
        _long_thread(small_threads[-1], authors, 10, rnd, long_ago + datetime.timedelta(days=1))
    timings[f"{args.replies} + 10 replies"] = time.perf_counter() - started

    started = time.perf_counter()
    background = 0
    with transaction.atomic():
        for thread in other:
            for k in range(rnd.randint(0, 3)):
                when = thread.created_at + datetime.timedelta(minutes=5 * (k + 1))
                _reply(thread, authors[(thread.pk + k) % len(authors)], _sentence(rnd, 20), when)
                background += 1
            recount(thread)
    timings[f"{background} replies in the other threads"] = time.perf_counter() - started

    if connection.vendor == "postgresql":  # the steady state autovacuum reaches (see base)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        timings["VACUUM ANALYZE"] = time.perf_counter() - started
    return {
        "timings": timings,
        "big": big,
        "small": small,
        "long_thread": long_thread,
        "small_thread": small_threads[-1],
        "coordinator": authors[0],
        "member": authors[5],
        "background": background,
    }


# -- measurements ------------------------------------------------------------------------


def measure(client, url: str, runs: int) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for index in range(WARMUP):
        if index == WARMUP - 1:
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                base.fetch(client, url)
            queries = len(captured.captured_queries)
        else:
            base.fetch(client, url)
    times = []
    for _ in range(runs):
        elapsed, body, _response = base.fetch(client, url)
        times.append(elapsed)
    return {
        "median": statistics.median(times),
        "p95": base.percentile(times, 0.95),
        "max": max(times),
        "queries": queries,
        "bytes": len(body),
    }


def query_count(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    base.fetch(client, url)
    with CaptureQueriesContext(connection) as captured:
        base.fetch(client, url)
    return len(captured.captured_queries)


def scenarios(data: dict, args) -> list[tuple[str, str, str]]:
    """(label, viewer, URL) of each measured request."""
    from django.urls import reverse

    big, thread = data["big"], data["long_thread"]
    deep = (args.threads + big.THREADS_PER_PAGE - 1) // big.THREADS_PER_PAGE // 2
    return [
        ("Group page, first page", "visitor", big.url),
        ("Group page, first page", "member", big.url),
        (f"Group page, page {deep}", "visitor", f"{big.url}?page={deep}"),
        (f"Thread page, {args.replies} replies, first page", "visitor", thread.get_absolute_url()),
        (f"Thread page, {args.replies} replies, first page", "member", thread.get_absolute_url()),
        (
            f"Thread page, {args.replies} replies, first page",
            "coordinator",
            thread.get_absolute_url(),
        ),
        ("Moderation page", "coordinator", reverse("community:moderation", args=[big.pk])),
    ]


def compare_counts(clients: dict, data: dict) -> list[tuple[str, str, int, int]]:
    """(page, viewer, queries small, queries large): the same page on the small group or
    thread and on the large one."""
    rows = []
    pairs = [
        ("Group page", data["small"].url, data["big"].url),
        (
            "Thread page",
            data["small_thread"].get_absolute_url(),
            data["long_thread"].get_absolute_url(),
        ),
    ]
    for label, small_url, big_url in pairs:
        for viewer in ("visitor", "member", "coordinator"):
            client = clients[viewer]
            rows.append(
                (label, viewer, query_count(client, small_url), query_count(client, big_url))
            )
    return rows


def report(info, data, results, counts, args, total: float) -> str:
    lines = ["## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in info.items()]
    lines += ["", "## Data", ""]
    lines += [f"- {step}: {seconds:.1f} s" for step, seconds in data["timings"].items()]
    lines += [
        "",
        f"## Server time ({WARMUP} warm-up requests, then {args.runs} timed requests per URL)",
        "",
        "| Request | Viewer | Median (ms) | p95 (ms) | Max (ms) | SQL queries | Size |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for (label, viewer, url), r in results:
        lines.append(
            f"| {label}<br>`{url}` | {viewer} | {r['median']:.1f} | {r['p95']:.1f} "
            f"| {r['max']:.1f} | {r['queries']} | {r['bytes']:,} B |"
        )
    lines += [
        "",
        "## SQL queries: small against large",
        "",
        f"| Page | Viewer | 10 threads / 10 replies | {args.threads} threads / "
        f"{args.replies} replies |",
        "|---|---|---:|---:|",
    ]
    lines += [f"| {page} | {viewer} | {s} | {b} |" for page, viewer, s, b in counts]
    lines += ["", f"Total benchmark time: {total:.0f} s", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    began = time.perf_counter()
    args = parse_args(argv)
    temp_db = base.configure()

    from django.db import connection
    from django.test import Client

    try:
        print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}", file=sys.stderr)
        data = build(args, random.Random(SEED))
        print(f"Data built: {data['timings']}; measuring...", file=sys.stderr, flush=True)
        clients = {"visitor": Client(), "member": Client(), "coordinator": Client()}
        clients["member"].force_login(data["member"])
        clients["coordinator"].force_login(data["coordinator"])
        results = []
        for label, viewer, url in scenarios(data, args):
            result = measure(clients[viewer], url, args.runs)
            results.append(((label, viewer, url), result))
            print(f"  {label} ({viewer}): median {result['median']:.1f} ms", file=sys.stderr)
        counts = compare_counts(clients, data)
        info = base.machine()
        print(report(info, data, results, counts, args, time.perf_counter() - began))
    finally:
        connection.close()
        base.remove_temp_db(temp_db, args.keep)
    grew = [row for row in counts if row[2] != row[3]]
    if grew:
        print(f"Query counts grow with the data: {grew}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
