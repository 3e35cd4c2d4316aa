#!/usr/bin/env python
"""Benchmark of the search cluster against the database (issues 5 and 10).

Builds a database (a temporary SQLite file, or ``DATABASE_URL``) with 10,000 demo actors,
300 demo news, 100,000 watch items, 20,000 members with interest profiles and 1,000 "new"
items, all in bulk; rebuilds every registered search index on the node given by
``--search-url`` under the prefix ``bench`` (and Wagtail's index, on the database and
as ``bench-wagtail-*``); then measures, the database and the cluster side by side:

(a) the actors' text search (count and first page; and the whole ``/cartography/``
    request when the directory is served by the cluster);
(b) the facet counts of the directory;
(c) the full-text search of the watch items;
(d) the percolation of the new items against the profiles (and whether it finds the
    same members as the database matcher);
(e) the header search, ``GET /search/?q=...`` through ``django.test.Client`` for an
    anonymous visitor (organisations, news and pages; SQL queries per request, and
    where the time goes section by section), and its organisations section alone
    (``text_search.ranked`` on the database, ``cluster_ranked_ids`` on the cluster).

A measurement whose module or function does not exist yet is reported as "not
available". The report is Markdown on stdout, progress goes to stderr; the ``bench-*``
indexes are deleted at the end.

    .venv/bin/python tests/perf/bench_search.py [--actors 10000] [--items 100000]
        [--profiles 20000] [--new-items 1000] [--news 300] [--runs 30] [--search-url URL]
        [--only actors,directory,facets,items,percolation,header,section] [--keep]

``--only header,section`` measures the header search alone (no watch data is built).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_cartography as base  # noqa: E402 - the shared set-up of the benchmarks

SEED = 1
WARMUP = 2
PERCOLATION_WARMUP = 1
PAGE_SIZE = 20
INDEX_PREFIX = "bench"
DEFAULT_SEARCH_URL = "http://127.0.0.1:9201"

ACTOR_QUERIES = ("bio", "vaccine", "cell therapy", "lyon", "thérapie")
FACET_SCENARIOS = (
    ("no filter", ""),
    ("3 filters", "country=FR&stage=production&modality=monoclonal-antibodies"),
    ("text + filter", "q=bio&country=FR"),
)
ITEM_QUERIES = ("bioreactor", "vaccine", "cell therapy", "lyon", "anticorps monoclonaux")

# -- synthetic watch data --------------------------------------------------------------

MEMBER_PREFIX = "bench-member-"
FEED_URL = "https://feeds.bench.example/{slug}"
ITEM_URL = "https://news.bench.example/{slug}/{n}"
NEW_ITEM_SLUG = "new"
SOURCES = (
    ("bioprocess-news", "Bench BioProcess News", "en"),
    ("pharma-manufacturing", "Bench Pharma Manufacturing", "en"),
    ("biotech-europe", "Bench Biotech Europe", "en"),
    ("actualites-bioproduction", "Bench Actualités Bioproduction", "fr"),
)
DUPLICATE_SHARE = 0.01  # items another source published too (``duplicate_of`` set)
BATCH = 5000
WORDS = {
    "en": (
        "single-use bioreactor", "perfusion", "continuous processing", "chromatography",
        "downstream purification", "upstream intensification", "fill-finish",
        "lyophilisation", "aseptic filling", "CHO cell line", "AAV vector",
        "lentiviral vector", "LNP formulation", "mRNA", "plasmid DNA", "digital twin",
        "process analytical technology", "cryopreservation", "iPSC", "biosimilar", "CAR-T",
        "QC analytics", "automation", "cell banking", "vaccine",
    ),
    "fr": (
        "bioréacteur à usage unique", "perfusion", "chromatographie", "purification aval",
        "remplissage aseptique", "lyophilisation", "lignée cellulaire CHO", "vecteurs AAV",
        "vecteurs lentiviraux", "formulation LNP", "ARNm", "jumeau numérique",
        "cryoconservation", "biosimilaires", "CAR-T", "contrôle qualité", "automatisation",
        "banque de cellules", "vaccin",
    ),
}  # fmt: skip
TITLES = {
    "en": (
        "{actor} expands {modality} capacity in {city}",
        "{actor} opens a {word} facility for {modality}",
        "{actor} signs a {stage} agreement on {modality} with {partner}",
        "{actor} raises €{money}M to scale up {modality} for {area}",
        "New {word} platform speeds up {modality} {stage}",
        "{city} cluster launches {word} training for {modality}",
        "{actor} completes the technology transfer of its {modality} process to {partner}",
        "Regulators clear {actor}'s {modality} plant in {city}",
    ),
    "fr": (
        "{actor} inaugure une unité de {word} à {city}",
        "{actor} lève {money} M€ pour ses {modality}",
        "{city} : nouvelle plateforme de {modality} pour la {area}",
        "{actor} signe un accord de {stage} avec {partner}",
        "Formation aux {modality} : {actor} ouvre un centre à {city}",
    ),
}
SENTENCES = {
    "en": (
        "The site will use {word} and {word2} to produce {modality} for {area} programmes.",
        "The investment covers {volume} L of {word} capacity and new {word2} suites.",
        "{actor} expects GMP certification of the line in {year}.",
        "About {jobs} jobs will be created in {city} by {year}.",
        "A webinar on {word} is planned for partners.",
    ),
    "fr": (
        "Le site utilisera {word} et {word2} pour produire des {modality} ({area}).",
        "L'investissement porte sur {volume} L de capacité en {word}.",
        "{actor} vise une certification BPF de la ligne en {year}.",
        "Environ {jobs} emplois seront créés à {city} d'ici {year}.",
        "Un webinaire sur {word} est prévu pour les partenaires.",
    ),
}
PROFILE_KEYWORDS = (
    "perfusion", "bioreactor", "aav", "lnp", "biosimilar", "car t", "fill finish",
    "chromatograph", "lyophilisation", "digital twin", "ipsc", "vaccin",
)  # fmt: skip
EXCLUDED_KEYWORDS = ("webinar", "webinaire", "training")
PROFILE_COUNTRIES = ("FR", "DE", "GB", "IT", "ES", "NL", "BE", "CH", "PT", "PL")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=10_000, help="demo actors to load")
    parser.add_argument("--items", type=int, default=100_000, help="watch items to search")
    parser.add_argument("--profiles", type=int, default=20_000, help="members with interests")
    parser.add_argument("--new-items", type=int, default=1_000, help="items to percolate")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per measurement")
    parser.add_argument(
        "--percolation-runs", type=int, default=3, help="timed runs of each matcher"
    )
    parser.add_argument(
        "--search-url",
        default=os.environ.get("COBIOE_TEST_SEARCH_URL") or DEFAULT_SEARCH_URL,
        help="search node (default: $COBIOE_TEST_SEARCH_URL or %(default)s)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    parser.add_argument(
        "--news", type=int, default=300, help="demo news items (header search; default 300)"
    )
    parser.add_argument(
        "--only",
        default=",".join(MEASUREMENTS),
        help="measurements to run, comma-separated, among %(default)s; the watch data is "
        "loaded only for items and percolation",
    )
    args = parser.parse_args(argv)
    args.only = [key.strip() for key in args.only.split(",") if key.strip()]
    unknown = set(args.only) - set(MEASUREMENTS)
    if unknown or not args.only:
        parser.error(
            f"--only: unknown {', '.join(sorted(unknown))}; choose among {', '.join(MEASUREMENTS)}"
        )
    if min(args.actors, args.items, args.profiles, args.new_items) < 1:
        parser.error("--actors, --items, --profiles and --new-items must be at least 1")
    if args.runs < 1 or args.percolation_runs < 1:
        parser.error("--runs and --percolation-runs must be at least 1")
    return args


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- settings and availability -----------------------------------------------------------


def cluster_settings(url: str) -> dict[str, Any]:
    from django.conf import settings

    return {**settings.COBIOE_SEARCH, "URL": url, "INDEX_PREFIX": INDEX_PREFIX, "TIMEOUT": 30}


@contextmanager
def search_url(url: str) -> Iterator[None]:
    """Point ``COBIOE_SEARCH`` at ``url`` ("" = no cluster) for the block."""
    from django.conf import settings

    saved = settings.COBIOE_SEARCH
    settings.COBIOE_SEARCH = {**saved, "URL": url}
    try:
        yield
    finally:
        settings.COBIOE_SEARCH = saved


class Unavailable(Exception):
    """What a measurement needs (a module, a function, an index) is not there yet."""


def need(path: str) -> Any:
    """``from module import name`` for ``"module.name"``, or :class:`Unavailable`."""
    module_name, _, name = path.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise Unavailable(str(error)) from error
    try:
        return getattr(module, name)
    except AttributeError:
        raise Unavailable(f"cannot import name '{name}' from '{module_name}'") from None


def register_documents() -> dict[str, str]:
    """Import the content apps' search documents (importing registers them). Their
    ``AppConfig.ready()`` does it once wired; a document written before that is measured
    all the same. Returns {module: error} for the modules that could not be imported."""
    errors = {}
    for app in ("actors", "news", "watch"):
        module = f"cobioe_cms.{app}.search_documents"
        try:
            importlib.import_module(module)
        except ImportError as error:
            errors[module] = str(error)
    return errors


# -- data ----------------------------------------------------------------------------------


class WatchData:
    """Synthetic watch items stored as ingestion stores them: folded ``keywords_text``,
    ``title_key``, taxonomy terms (a sub-stage with its parent), countries and the
    actors named in the text. Titles and summaries mix English and French items."""

    def __init__(self, rnd: random.Random):
        from cobioe_cms.actors.geocoding import cities_of
        from cobioe_cms.actors.models import ActorPage
        from cobioe_cms.core.models import Modality, TherapeuticArea, ValueChainStage

        self.rnd = rnd
        self.stages = list(ValueChainStage.objects.all())
        self.modalities = list(Modality.objects.all())
        self.areas = list(TherapeuticArea.objects.all())
        self.actors = list(ActorPage.objects.live().values_list("pk", "title", "country", "city"))
        self.cities = {code: cities_of(code, 12) for code in PROFILE_COUNTRIES}

    def _label(self, term, language: str) -> str:
        return ((term.name_fr if language == "fr" else "") or term.name).lower()

    def item(self, source, slug: str, n: int, published) -> tuple[Any, dict[str, list[int]]]:
        """An unsaved WatchItem and its relations {relation: [ids]}."""
        from cobioe_cms.core.text import fold
        from cobioe_cms.watch.ingest.canonical import title_key
        from cobioe_cms.watch.models import WatchItem

        rnd, language = self.rnd, source.language
        actor_id, actor, country, city = rnd.choice(self.actors)
        partner_id, partner, *_ = rnd.choice(self.actors)
        if not city:
            country = rnd.choice(PROFILE_COUNTRIES)
            city = rnd.choice(self.cities[country] or ["Europe"])
        modalities = rnd.sample(self.modalities, rnd.randint(1, 2))
        area = rnd.choice(self.areas)
        stages = rnd.sample(self.stages, rnd.randint(1, 2))
        parents = {s.parent_id for s in stages if s.parent_id} - {s.pk for s in stages}
        stages += [s for s in self.stages if s.pk in parents]
        words = rnd.sample(WORDS[language], 2)
        values = {
            "actor": actor,
            "partner": partner,
            "city": city,
            "modality": self._label(modalities[0], language),
            "area": self._label(area, language),
            "stage": self._label(stages[0], language),
            "word": words[0],
            "word2": words[1],
            "money": rnd.randint(5, 400),
            "volume": rnd.choice((200, 500, 2000, 5000, 15000)),
            "jobs": rnd.randint(20, 400),
            "year": rnd.randint(2026, 2029),
        }
        template = rnd.choice(TITLES[language])
        title = template.format(**values)
        sentences = rnd.sample(SENTENCES[language], rnd.randint(2, 3))
        summary = " ".join(sentence.format(**values) for sentence in sentences)
        countries = {str(country)}
        if rnd.random() < 0.3:
            countries.add(rnd.choice(PROFILE_COUNTRIES))
        item = WatchItem(
            source=source,
            title=title,
            url=ITEM_URL.format(slug=slug, n=n),
            guid=f"{slug}-{n}",
            summary=summary,
            language=language,
            published_at=published,
            title_key=title_key(title),
            countries=sorted(countries),
            keywords_text=fold(f"{title} {summary}"),
        )
        relations = {
            "stages": [s.pk for s in stages],
            "modalities": [m.pk for m in modalities],
            "therapeutic_areas": [area.pk],
            "actors": sorted({actor_id, partner_id} if "{partner}" in template else {actor_id}),
        }
        return item, relations


def _insert_items(pairs: list[tuple[Any, dict[str, list[int]]]]) -> list[Any]:
    """bulk_create the items (primary keys come back), then their relation rows."""
    from cobioe_cms.watch.models import WatchItem

    items = WatchItem.objects.bulk_create([item for item, _ in pairs], batch_size=BATCH)
    for relation in ("stages", "modalities", "therapeutic_areas", "actors"):
        model_field = WatchItem._meta.get_field(relation)
        through = model_field.remote_field.through
        target = model_field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [
                through(watchitem_id=item.pk, **{f"{target}_id": term})
                for item, (_, relations) in zip(items, pairs, strict=True)
                for term in relations[relation]
            ],
            batch_size=BATCH,
        )
    return items


def _link_random(model, ids: list[int], rnd, relations) -> None:
    """As in bench_watch.py: for each (relation, pool, low, high), every object gets
    between low and high random terms of the pool, written in bulk."""
    for relation, pool, low, high in relations:
        model_field = model._meta.get_field(relation)
        through = model_field.remote_field.through
        source, target = model_field.m2m_field_name(), model_field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [
                through(**{f"{source}_id": pk, f"{target}_id": term})
                for pk in ids
                for term in rnd.sample(pool, min(len(pool), rnd.randint(low, high)))
            ],
            batch_size=BATCH,
        )


def existing_watch_data() -> tuple[int, int, int]:
    from cobioe_cms.watch.models import InterestProfile, WatchItem

    bench_items = WatchItem.objects.filter(source__url__startswith=FEED_URL.format(slug=""))
    new_prefix = ITEM_URL.format(slug=NEW_ITEM_SLUG, n="")
    return (
        bench_items.exclude(url__startswith=new_prefix).count(),
        bench_items.filter(url__startswith=new_prefix).count(),
        InterestProfile.objects.filter(user__username__startswith=MEMBER_PREFIX).count(),
    )


def load_watch(args) -> dict[str, float]:
    """Bench sources, items, new items and members; returns the step durations."""
    from django.contrib.auth.models import User
    from django.db import connection, transaction
    from django.utils import timezone

    from cobioe_cms.watch.models import InterestProfile, Source, WatchItem

    timings: dict[str, float] = {}
    if existing_watch_data() == (args.items, args.new_items, args.profiles):
        log("Watch data already loaded")
        return timings
    rnd = random.Random(SEED)
    # Another size was loaded before (--keep, DATABASE_URL): start again.
    WatchItem.objects.filter(source__url__startswith=FEED_URL.format(slug="")).delete()
    User.objects.filter(username__startswith=MEMBER_PREFIX).delete()
    sources = [
        Source.objects.update_or_create(
            url=FEED_URL.format(slug=slug),
            defaults={"name": name, "language": language, "active": False},
        )[0]
        for slug, name, language in SOURCES
    ]
    data = WatchData(rnd)
    now = timezone.now()

    start = time.perf_counter()
    with transaction.atomic():
        created = 0
        while created < args.items:
            size = min(BATCH, args.items - created)
            copies = int(size * DUPLICATE_SHARE)
            pairs = []
            for n in range(created, created + size - copies):
                source = rnd.choice(sources)
                published = now - timezone.timedelta(seconds=rnd.randint(86_400, 730 * 86_400))
                pairs.append(data.item(source, source.url.rsplit("/", 1)[1], n, published))
            originals = _insert_items(pairs)
            # The same news from another source: ingestion stores it and points it to
            # the first one (``duplicate_of``); searches leave it out.
            duplicates = []
            for offset, index in enumerate(rnd.sample(range(len(originals)), copies)):
                original, relations = originals[index], pairs[index][1]
                other = rnd.choice([s for s in sources if s.pk != original.source_id])
                copy = WatchItem(
                    **{
                        f.attname: getattr(original, f.attname)
                        for f in WatchItem._meta.concrete_fields
                        if not f.primary_key
                    }
                )
                copy.source_id, copy.duplicate_of_id = other.pk, original.pk
                copy.url = ITEM_URL.format(slug="copies", n=created + size - copies + offset)
                copy.published_at = original.published_at + timezone.timedelta(hours=5)
                duplicates.append((copy, relations))
            _insert_items(duplicates)
            created += size
            log(f"  {created:,} watch items")
    timings["items"] = time.perf_counter() - start

    start = time.perf_counter()
    with transaction.atomic():
        User.objects.bulk_create(
            [
                User(username=f"{MEMBER_PREFIX}{n}", email=f"member{n}@bench.example")
                for n in range(args.profiles)
            ],
            batch_size=BATCH,
        )
        user_ids = User.objects.filter(username__startswith=MEMBER_PREFIX).values_list(
            "pk", flat=True
        )
        InterestProfile.objects.bulk_create(
            [
                InterestProfile(
                    user_id=uid,
                    countries=[rnd.choice(PROFILE_COUNTRIES)] if rnd.random() < 0.5 else [],
                    keywords=rnd.choice(PROFILE_KEYWORDS) if rnd.random() < 0.3 else "",
                    excluded_keywords=(
                        rnd.choice(EXCLUDED_KEYWORDS) if rnd.random() < 0.05 else ""
                    ),
                    digest="daily",
                    digest_opt_in_at=now - timezone.timedelta(days=3),
                )
                for uid in user_ids
            ],
            batch_size=BATCH,
        )
        profile_ids = list(
            InterestProfile.objects.filter(user__username__startswith=MEMBER_PREFIX).values_list(
                "pk", flat=True
            )
        )
        _link_random(
            InterestProfile,
            profile_ids,
            rnd,
            (
                ("stages", [s.pk for s in data.stages], 0, 2),
                ("modalities", [m.pk for m in data.modalities], 1, 2),
                ("therapeutic_areas", [a.pk for a in data.areas], 0, 1),
                ("followed_actors", [a[0] for a in data.actors], 0, 2),
            ),
        )
    timings["profiles"] = time.perf_counter() - start

    start = time.perf_counter()
    with transaction.atomic():
        pairs = []
        for n in range(args.new_items):
            source = rnd.choice(sources)
            published = now - timezone.timedelta(seconds=rnd.randint(60, 86_400))
            pairs.append(data.item(source, NEW_ITEM_SLUG, n, published))
        _insert_items(pairs)
    timings["new_items"] = time.perf_counter() - start

    if connection.vendor == "postgresql":
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        timings["analyze"] = time.perf_counter() - start
    return timings


def load_news(count: int) -> float:
    """The demo news (``load_demo_news``), which the header search's news section
    searches; returns its duration."""
    from django.core.management import call_command

    log(f"Demo news ({count})...")
    start = time.perf_counter()
    call_command("load_demo_news", count=count, seed=SEED, stdout=base._Quiet())
    return time.perf_counter() - start


def data_sizes(cartography) -> dict[str, int]:
    from wagtail.models import Page

    from cobioe_cms.news.models import NewsPage
    from cobioe_cms.watch.models import InterestProfile, WatchItem

    items = WatchItem.objects.all()
    return {
        "actors in the cartography": cartography.actors().count(),
        "news pages (live)": NewsPage.objects.live().count(),
        "pages (live, all types)": Page.objects.live().count(),
        "watch items": items.count(),
        "of which duplicates": items.filter(duplicate_of__isnull=False).count(),
        "of which new (percolated)": items.filter(
            url__startswith=ITEM_URL.format(slug=NEW_ITEM_SLUG, n="")
        ).count(),
        "item-term and item-actor links": sum(
            WatchItem._meta.get_field(relation).remote_field.through.objects.count()
            for relation in ("stages", "modalities", "therapeutic_areas", "actors")
        ),
        "interest profiles": InterestProfile.objects.count(),
    }


@dataclass
class Rebuilt:
    seconds: float
    documents: int
    size: int  # bytes on the node


def rebuild_indexes(wanted: set[str] | None = None) -> tuple[dict[str, Rebuilt], dict[str, str]]:
    """Rebuild every registered index (or those ``wanted``); (what was built, {name:
    error})."""
    from cobioe_cms.search import indexes
    from cobioe_cms.search.client import get_client
    from cobioe_cms.search.registry import registered_names

    built, errors = {}, {}
    for name in registered_names():
        if wanted is not None and name not in wanted:
            continue
        log(f"Rebuilding the {name!r} index...")
        start = time.perf_counter()
        try:
            result = indexes.rebuild(name)
        except Exception as error:  # noqa: BLE001 -- reported; the other indexes go on
            errors[name] = f"rebuild failed: {type(error).__name__}: {error}"
            continue
        seconds = time.perf_counter() - start
        stats = get_client().indices.stats(index=result.alias)["_all"]["primaries"]
        built[name] = Rebuilt(seconds, result.indexed, stats["store"]["size_in_bytes"])
    return built, errors


def delete_bench_indexes(url: str) -> list[str]:
    from cobioe_cms.search.client import get_client

    with search_url(url):
        client = get_client()
        names = sorted(
            name
            for name in client.indices.get(index=f"{INDEX_PREFIX}-*", allow_no_indices=True)
            if name.startswith(f"{INDEX_PREFIX}-")
        )
        if names:
            client.indices.delete(index=",".join(names), ignore_unavailable=True)
    return names


# -- timing --------------------------------------------------------------------------------


@dataclass
class Series:
    """Milliseconds of the timed runs of one case, and the result of its last run."""

    times: list[float] = field(default_factory=list)
    result: Any = None

    @property
    def cells(self) -> str:
        p50 = statistics.median(self.times)
        p95 = base.percentile(self.times, 0.95)
        return f"{p50:.1f} | {p95:.1f} | {min(self.times):.1f}"


def measure(
    cases: dict[Hashable, Callable[[], Any]], runs: int, warmup: int = WARMUP
) -> dict[Hashable, Series]:
    """Run every case ``warmup + runs`` times, interleaved (case 1, case 2, ..., case 1,
    ...) so that the database and the cluster meet the same load on a shared machine."""
    series = {key: Series() for key in cases}
    gc.collect()
    for run in range(warmup + runs):
        for key, case in cases.items():
            start = time.perf_counter()
            result = case()
            elapsed = (time.perf_counter() - start) * 1000
            if run >= warmup:
                series[key].times.append(elapsed)
            series[key].result = result
    return series


def yes_no(value: bool) -> str:
    return "yes" if value else "**no**"


# -- measurements --------------------------------------------------------------------------


@dataclass
class Bench:
    args: argparse.Namespace
    cartography: Any
    built: dict[str, Rebuilt]
    index_errors: dict[str, str]
    built_wagtail: dict[str, float] = field(default_factory=dict)

    def need_index(self, name: str) -> None:
        if name not in self.built:
            raise Unavailable(self.index_errors.get(name, f"no search document named {name!r}"))

    def actor_filter(self, querystring: str):
        from django.http import QueryDict

        from cobioe_cms.actors.filters import ActorFilter

        return ActorFilter(QueryDict(querystring), self.cartography.actors())


def actor_search(bench: Bench) -> list[str]:
    """(a) Text search of the actors: count and first page (sorted by name)."""
    from cobioe_cms.actors.models import ActorPage

    cluster_matching_ids = need("cobioe_cms.actors.search_queries.cluster_matching_ids")
    bench.need_index("actors")
    within = bench.cartography

    def database(query: str) -> tuple[int, list[int]]:
        qs = bench.actor_filter(urlencode({"q": query})).queryset()
        return qs.count(), [actor.pk for actor in qs[:PAGE_SIZE]]

    def all_ids(query: str) -> tuple[int, list[int]]:
        ids = cluster_matching_ids(bench.actor_filter(urlencode({"q": query})), within=within)
        page = ActorPage.objects.filter(pk__in=list(ids)).order_by("title", "pk")[:PAGE_SIZE]
        return len(ids), [actor.pk for actor in page]

    backends = [
        ("database", "`ActorFilter.queryset()`: count + first page", database),
        ("cluster", "`cluster_matching_ids` (all ids) + first page from the database", all_ids),
    ]
    notes = []
    try:
        cluster_directory = need("cobioe_cms.actors.search_queries.cluster_directory")
    except Unavailable as error:
        notes.append(f"One-request variant (`cluster_directory`) not available: {error}")
    else:

        def one_request(query: str) -> tuple[int, list[int]]:
            actor_filter = bench.actor_filter(urlencode({"q": query}))
            hits = cluster_directory(actor_filter, within, size=PAGE_SIZE, facets=False)
            rows = ActorPage.objects.in_bulk(hits.ids)
            return hits.total, [pk for pk in hits.ids if pk in rows]

        backends.append(
            (
                "cluster",
                "`cluster_directory` (total + first page ids, one request) + their rows",
                one_request,
            )
        )
    cases = {
        (query, index): (lambda f=function, q=query: f(q))
        for query in ACTOR_QUERIES
        for index, (_, _, function) in enumerate(backends)
    }
    series = measure(cases, bench.args.runs)
    lines = [
        "| Query | Backend | How | p50 (ms) | p95 (ms) | min (ms) | Actors matched "
        "| Same first page as the database |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    agree = True
    for query in ACTOR_QUERIES:
        reference = series[(query, 0)].result
        for index, (backend, how, _) in enumerate(backends):
            count, page = series[(query, index)].result
            agree &= count == reference[0]
            same_page = "–" if index == 0 else yes_no(page == reference[1])
            lines.append(
                f"| `{query}` | {backend} | {how} | {series[(query, index)].cells} "
                f"| {count:,} | {same_page} |"
            )
    lines += [
        "",
        f"Sanity: the database and the cluster count the same actors for every query: "
        f"{yes_no(agree)}.",
    ]
    return lines + [f"\n{note}" for note in notes]


def directory_requests(bench: Bench) -> list[str]:
    """(a') The whole ``/cartography/?q=...`` request, with and without the cluster."""
    from django.test import Client

    from cobioe_cms.search.service import reset_breaker

    bench.need_index("actors")
    client = Client()
    url = bench.cartography.get_url()
    cluster = bench.args.search_url
    probe = client.get(f"{url}?{urlencode({'q': ACTOR_QUERIES[0]})}")
    if "X-Search-Backend" not in probe:
        raise Unavailable(
            "the directory sends no `X-Search-Backend` header: it is not served by the cluster yet"
        )
    reset_breaker()

    def fetch(path: str, backend_url: str) -> str:
        with search_url(backend_url):
            response = client.get(path)
            response.content  # noqa: B018 -- the body is part of the request's time
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return response.get("X-Search-Backend", "")

    cases = {}
    for query in ACTOR_QUERIES:
        path = f"{url}?{urlencode({'q': query})}"
        cases[(query, "database")] = lambda p=path: fetch(p, "")
        cases[(query, "cluster")] = lambda p=path: fetch(p, cluster)
    series = measure(cases, bench.args.runs)
    lines = [
        "| Request | Asked for | p50 (ms) | p95 (ms) | min (ms) | `X-Search-Backend` |",
        "|---|---|---:|---:|---:|---|",
    ]
    right = True
    for (query, wanted), result in series.items():
        right &= result.result == wanted
        path = f"{url}?{urlencode({'q': query})}"
        lines.append(f"| `{path}` | {wanted} | {result.cells} | {result.result or '(none)'} |")
    lines += ["", f"Sanity: every response came from the backend asked for: {yes_no(right)}."]
    return lines


def facets(bench: Bench) -> list[str]:
    """(b) Facet counts of the directory."""
    cluster_facet_counts = need("cobioe_cms.actors.search_queries.cluster_facet_counts")
    bench.need_index("actors")

    def database(querystring: str) -> dict[str, dict[str, int]]:
        return {
            result.facet.key: {o.value: o.count for o in result.options if o.count}
            for result in bench.actor_filter(querystring).facets()
        }

    def cluster(querystring: str) -> dict[str, dict[str, int]]:
        return cluster_facet_counts(bench.actor_filter(querystring), within=bench.cartography)

    cases = {}
    for label, querystring in FACET_SCENARIOS:
        cases[(label, "database")] = lambda q=querystring: database(q)
        cases[(label, "cluster")] = lambda q=querystring: cluster(q)
    series = measure(cases, bench.args.runs)
    lines = [
        "| Filters | Backend | p50 (ms) | p95 (ms) | min (ms) | Actors matched | Counts |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    agree = True
    for label, querystring in FACET_SCENARIOS:
        matched = bench.actor_filter(querystring).filtered().count()
        same = series[(label, "database")].result == series[(label, "cluster")].result
        agree &= same
        for backend in ("database", "cluster"):
            shown = f"`{querystring}`" if querystring else "(none)"
            counts = sum(len(values) for values in series[(label, backend)].result.values())
            lines.append(
                f"| {label}: {shown} | {backend} | {series[(label, backend)].cells} "
                f"| {matched:,} | {counts} non-zero values |"
            )
    lines += [
        "",
        f"Sanity: the cluster's counts equal the database's for every facet and value: "
        f"{yes_no(agree)}. The database column is `ActorFilter.facets()` (7 count queries, "
        f"then the options with their labels and URLs); the cluster column is "
        f"`cluster_facet_counts()` (one request, raw counts).",
    ]
    return lines


def item_search(bench: Bench) -> list[str]:
    """(c) Searching the watch items."""
    from cobioe_cms.core.analysis import folded_text_condition, understand
    from cobioe_cms.core.models import synonym_groups
    from cobioe_cms.search.client import get_client
    from cobioe_cms.search.indexes import alias_name
    from cobioe_cms.watch.models import WatchItem

    cluster_item_ids = need("cobioe_cms.watch.search_queries.cluster_item_ids")
    database_item_ids = need("cobioe_cms.watch.site_search.database_item_ids")
    bench.need_index("watch_items")
    synonyms = synonym_groups()

    def matching(text: str):
        qs = WatchItem.objects.filter(duplicate_of__isnull=True)
        return qs.filter(folded_text_condition(understand(text, synonyms), "keywords_text"))

    def database(text: str) -> list[int]:
        return database_item_ids(understand(text, synonym_groups()), PAGE_SIZE)

    def cluster(text: str) -> list[int]:
        ids = cluster_item_ids(understand(text, synonym_groups()), size=PAGE_SIZE)
        rows = WatchItem.objects.in_bulk(ids)
        return [pk for pk in ids if pk in rows]

    def cluster_total(text: str) -> str:
        try:
            build = need("cobioe_cms.watch.search_queries.build_full_text_search")
        except Unavailable:
            return "–"
        query = build(understand(text, synonyms), 0).to_dict()["query"]
        response = get_client().count(index=alias_name("watch_items"), body={"query": query})
        return f"{response['count']:,}"

    cases = {}
    for text in ITEM_QUERIES:
        cases[(text, "database")] = lambda t=text: database(t)
        cases[(text, "cluster")] = lambda t=text: cluster(t)
    series = measure(cases, bench.args.runs)
    lines = [
        "| Query | Backend | p50 (ms) | p95 (ms) | min (ms) | Items matched | Returned "
        "| In both top 20 |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for text in ITEM_QUERIES:
        db_ids, cluster_ids = series[(text, "database")].result, series[(text, "cluster")].result
        both = len(set(db_ids) & set(cluster_ids))
        totals = {"database": f"{matching(text).count():,}", "cluster": cluster_total(text)}
        for backend in ("database", "cluster"):
            lines.append(
                f"| `{text}` | {backend} | {series[(text, backend)].cells} | {totals[backend]} "
                f"| {len(series[(text, backend)].result)} | {both} |"
            )
    lines += [
        "",
        "Both understand the query as the site does (`core.analysis.understand`, with the "
        "synonym groups) and leave duplicates out. They do not rank alike, so their lists "
        "differ: the database (`watch.site_search.database_item_ids`) keeps the items whose "
        "folded text holds every concept, newest first; the cluster (`cluster_item_ids`) "
        "ranks them, best first, and the 20 rows are then loaded from the database. Items "
        "matched: the database's `COUNT(*)`, and the cluster's count of the same query "
        "(untimed).",
    ]
    return lines


def percolation(bench: Bench) -> list[str]:
    """(d) Which members does each new item interest: percolator vs database."""
    from cobioe_cms.watch.models import WatchItem

    database_matcher = need("cobioe_cms.watch.matching.DatabaseMatcher")
    percolator_matcher = need("cobioe_cms.watch.percolator.PercolatorMatcher")
    bench.need_index("watch_profiles")
    items = list(
        WatchItem.objects.filter(url__startswith=ITEM_URL.format(slug=NEW_ITEM_SLUG, n=""))
    )
    cases = {
        "database": lambda: database_matcher().profiles_for_items(items),
        "cluster": lambda: percolator_matcher().profiles_for_items(items),
    }
    series = measure(cases, bench.args.percolation_runs, warmup=PERCOLATION_WARMUP)

    def normalised(mapping: dict[int, set[int]]) -> dict[int, frozenset[int]]:
        return {item: frozenset(ids) for item, ids in mapping.items() if ids}

    db, cluster = normalised(series["database"].result), normalised(series["cluster"].result)
    lines = [
        "| Matcher | p50 (ms) | p95 (ms) | min (ms) | (item, profile) matches "
        "| Items matching someone |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, label in (
        ("database", "`DatabaseMatcher.profiles_for_items`"),
        ("cluster", "`PercolatorMatcher.profiles_for_items`"),
    ):
        mapping = db if name == "database" else cluster
        pairs = sum(len(ids) for ids in mapping.values())
        lines.append(f"| {label} | {series[name].cells} | {pairs:,} | {len(mapping):,} |")
    lines += ["", f"Identical mappings: {yes_no(db == cluster)}."]
    if db != cluster:
        differing = [pk for pk in db.keys() | cluster.keys() if db.get(pk) != cluster.get(pk)]
        only_db = sum(len(db.get(pk, set()) - cluster.get(pk, set())) for pk in differing)
        only_cluster = sum(len(cluster.get(pk, set()) - db.get(pk, set())) for pk in differing)
        lines.append(
            f"{len(differing):,} items differ; {only_db:,} matches only in the database, "
            f"{only_cluster:,} only in the cluster (e.g. item {min(differing)})."
        )
    return lines


# -- the header search (issue 10) ----------------------------------------------------------

HEADER_TEXTS = (
    "vaccines",
    "vaccine",
    "cell therapy",
    "mAb",
    "CDMO viral vector France",
    "anticorps monoclonaux",
    "fill and finish",
    "thérapie génique",
    "bio",
    "vacine",  # a typo: nothing found, corrected, searched again
    "zqxwv plorf",  # nothing found, nothing to correct
)
BROAD_QUERY = "bio"
BREAKDOWN_RUNS = 10
DATABASE_BACKEND = {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
SETTINGS_FILE = base.REPO_DIR / "site" / "cobioe_site" / "settings" / "base.py"


def wagtail_backends(url: str) -> dict[str, dict[str, Any]]:
    """``WAGTAILSEARCH_BACKENDS`` as the site's settings build it for ``url`` ("" = the
    database), under the benchmark's prefix, with indexing on save off."""
    if not url:
        return {"default": dict(DATABASE_BACKEND)}
    import runpy

    names = ("COBIOE_SEARCH_URL", "COBIOE_SEARCH_INDEX_PREFIX", "COBIOE_SEARCH_ENGINE")
    saved = {name: os.environ.get(name) for name in names}
    os.environ.update(
        COBIOE_SEARCH_URL=url, COBIOE_SEARCH_INDEX_PREFIX=INDEX_PREFIX, COBIOE_SEARCH_ENGINE=""
    )
    os.environ.pop("COBIOE_SEARCH_ENGINE")
    try:
        built = runpy.run_path(str(SETTINGS_FILE))["WAGTAILSEARCH_BACKENDS"]
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    for conf in built.values():
        conf["AUTO_UPDATE"] = False
    return built


@contextmanager
def site_backend(url: str) -> Iterator[None]:
    """The whole site on one backend: the cluster at ``url`` for our searches and
    Wagtail's, or ("") the database for both."""
    from django.conf import settings

    saved = settings.WAGTAILSEARCH_BACKENDS
    settings.WAGTAILSEARCH_BACKENDS = wagtail_backends(url)
    try:
        with search_url(url):
            yield
    finally:
        settings.WAGTAILSEARCH_BACKENDS = saved


def build_wagtail_indexes(url: str) -> dict[str, float]:
    """Wagtail's search index (the news and pages sections): its database tables, and
    the cluster's ``bench-wagtail-*`` indexes; returns the durations."""
    from django.conf import settings
    from django.core.management import call_command

    timings = {}
    for name, backend_url in (("database", ""), ("cluster", url)):
        log(f"Building Wagtail's search index on the {name}...")
        start = time.perf_counter()
        with site_backend(backend_url):
            # Bulk indexing on a busy machine takes longer than a page's timeout.
            for conf in settings.WAGTAILSEARCH_BACKENDS.values():
                conf["TIMEOUT"] = 60
            call_command("update_index", backend_name="default", stdout=base._Quiet())
        timings[name] = time.perf_counter() - start
    return timings


def site_root():
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).root_page


def header_texts() -> list[tuple[str, str]]:
    """(label, query) of the header searches measured: an organisation's exact name and
    the commonest city of the generated data, then :data:`HEADER_TEXTS`."""
    from django.db.models import Count

    from cobioe_cms.actors.models import ActorPage

    actors = ActorPage.objects.live().public()
    names = list(actors.order_by("pk").values_list("title", flat=True))
    city = (
        actors.exclude(city="")
        .values("city")
        .annotate(n=Count("pk"))
        .order_by("-n", "city")
        .values_list("city", flat=True)
        .first()
    )
    return [("exact name", names[len(names) // 2]), ("city", city), *[(t, t) for t in HEADER_TEXTS]]


def header_queries() -> list[tuple[str, str]]:
    """(label, path): :func:`header_texts`, then page 2 of the organisations a broad
    query finds."""
    found = [(label, f"/search/?{urlencode({'q': text})}") for label, text in header_texts()]
    page_two = urlencode({"q": BROAD_QUERY, "kind": "actors", "page": 2})
    return [*found, (f"{BROAD_QUERY}, organisations page 2", f"/search/?{page_two}")]


def _cells(times: list[float]) -> str:
    p50, p95 = statistics.median(times), base.percentile(times, 0.95)
    return f"{p50:.1f} | {p95:.1f} | {max(times):.1f}"


@contextmanager
def timing_sections(spent: dict[str, float]) -> Iterator[None]:
    """Adds up, into ``spent``, the milliseconds of each section of the site search
    (``_run``), of the single request to the cluster (``SiteSearch._ask_cluster``: every
    section's question, then their results) and of the typo correction
    (``SiteSearch._corrected``)."""
    from cobioe_cms.search import site_search

    run, corrected = site_search._run, site_search.SiteSearch._corrected
    ask = site_search.SiteSearch._ask_cluster

    def timed_ask(self, context):
        start = time.perf_counter()
        try:
            return ask(self, context)
        finally:
            elapsed = (time.perf_counter() - start) * 1000
            spent["cluster"] = spent.get("cluster", 0.0) + elapsed

    def timed_run(section, *args, **kwargs):
        start = time.perf_counter()
        try:
            return run(section, *args, **kwargs)
        finally:
            elapsed = (time.perf_counter() - start) * 1000
            spent[section.key] = spent.get(section.key, 0.0) + elapsed

    def timed_corrected(self):
        start = time.perf_counter()
        try:
            return corrected(self)
        finally:
            elapsed = (time.perf_counter() - start) * 1000
            spent["correction"] = spent.get("correction", 0.0) + elapsed

    site_search._run, site_search.SiteSearch._corrected = timed_run, timed_corrected
    site_search.SiteSearch._ask_cluster = timed_ask
    try:
        yield
    finally:
        site_search._run, site_search.SiteSearch._corrected = run, corrected
        site_search.SiteSearch._ask_cluster = ask


def _what_was_found(path: str) -> str:
    """Each section's count (and the correction) for the path, from the view's own
    SiteSearch (untimed)."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from cobioe_cms.search.site_search import SiteSearch

    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    search = SiteSearch(request).run()
    counts = ", ".join(f"{r.section.key} {r.count:,}" for r in search.results)
    if search.corrected_from:
        counts += f" (corrected to “{search.query.text}”)"
    return counts or "–"


def floors(url: str, runs: int) -> dict[str, list[float]]:
    """What no header search can go below, in ms: the bare ``_msearch`` of the sections'
    questions for "vaccine" (the cluster client alone), and the search page with no
    query (middleware, view and templates, nothing searched)."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client, RequestFactory

    from cobioe_cms.search.client import get_client, msearch
    from cobioe_cms.search.site_search import SearchContext, SiteSearch

    times: dict[str, list[float]] = {"msearch": [], "page": []}
    client = Client()
    with site_backend(url):
        request = RequestFactory().get("/search/", {"q": "vaccine"})
        request.user = AnonymousUser()
        search = SiteSearch(request)
        context = SearchContext(search.query, request, site_root())
        questions = [s.cluster(context, 5) for s in search.sections if s.cluster]
        searches = [(q.index, q.body) for q in questions if q is not None]
        cluster = get_client()
        for n in range(WARMUP + runs):
            start = time.perf_counter()
            msearch(cluster, searches)
            msearch_time = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            client.get("/search/").content  # noqa: B018 -- part of the request's time
            page_time = (time.perf_counter() - start) * 1000
            if n >= WARMUP:
                times["msearch"].append(msearch_time)
                times["page"].append(page_time)
    return times


def header_search(bench: Bench) -> list[str]:
    """(e) The whole header search request, ``GET /search/?q=...``, anonymous."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    bench.need_index("actors")
    if "cluster" not in bench.built_wagtail:
        raise Unavailable(bench.index_errors.get("wagtail", "Wagtail's indexes were not built"))
    client = Client()
    paths = header_queries()
    path_of = dict(paths)
    backends = {"database": "", "cluster": bench.args.search_url}

    def fetch(path: str, url: str) -> str:
        with site_backend(url):
            response = client.get(path)
            response.content  # noqa: B018 -- the body is part of the request's time
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return response.get("X-Search-Backend", "")

    cases = {
        (label, name): (lambda p=path, u=url: fetch(p, u))
        for label, path in paths
        for name, url in backends.items()
    }
    series = measure(cases, bench.args.runs)

    # Untimed: SQL queries of one request; then the time of each section.
    queries, spent = {}, {}
    for (label, name), case in cases.items():
        with CaptureQueriesContext(connection) as captured:
            case()
        queries[(label, name)] = len(captured.captured_queries)
        runs: list[dict[str, float]] = []
        for _ in range(BREAKDOWN_RUNS):
            sections: dict[str, float] = {}
            start = time.perf_counter()
            with timing_sections(sections):
                case()
            sections["request"] = (time.perf_counter() - start) * 1000
            runs.append(sections)
        keys = {key for run in runs for key in run}
        spent[(label, name)] = {
            key: statistics.median(run.get(key, 0.0) for run in runs) for key in keys
        }
    found = {}
    for (label, name), _case in cases.items():
        with site_backend(backends[name]):
            found[(label, name)] = _what_was_found(path_of[label])

    lines = [
        "| Query | Backend | p50 (ms) | p95 (ms) | max (ms) | SQL queries "
        "| `X-Search-Backend` | Found |",
        "|---|---|---:|---:|---:|---:|---|---|",
    ]
    right = True
    for label, path in paths:
        for name in backends:
            result = series[(label, name)]
            right &= result.result == name
            lines.append(
                f"| {label}: `{path}` | {name} | {_cells(result.times)} "
                f"| {queries[(label, name)]} | {result.result or '(none)'} "
                f"| {found[(label, name)]} |"
            )
    lines += [
        "",
        "| All requests | Backend | p50 (ms) | p95 (ms) | max (ms) |",
        "|---|---|---:|---:|---:|",
    ]
    for name in backends:
        times = [t for (_, n), result in series.items() if n == name for t in result.times]
        lines.append(f"| {len(times)} requests | {name} | {_cells(times)} |")
    try:
        measured = floors(bench.args.search_url, bench.args.runs)
        floor = {key: _cells(times).replace(" | ", " / ") for key, times in measured.items()}
    except Exception as error:  # noqa: BLE001 -- the tables above must not be lost
        lines += ["", f"Floors: **failed**: {type(error).__name__}: {error}"]
    else:
        lines += [
            "",
            f"Floors ({bench.args.runs} runs, p50 / p95 / max, ms): the bare `_msearch` of "
            f"the sections' questions for `vaccine` {floor['msearch']}; `GET /search/` "
            f"with no query (middleware, view, templates) {floor['page']}.",
        ]
    lines += [
        "",
        f"Sanity: every response came from the backend asked for: {yes_no(right)}.",
        "",
        f"Where the time goes (median of {BREAKDOWN_RUNS} more requests per case, ms): "
        "the single request to the cluster (`SiteSearch._ask_cluster`: every section's "
        "question, the `_msearch`, their results; 0 on the database), each section's "
        "count and page (`site_search._run`: on the cluster, reading the rows found), the "
        "typo correction (`SiteSearch._corrected`, vocabularies + nearest words), and the "
        "rest of the request (middleware, view, templates). A corrected query's second "
        "run is added to its columns.",
        "",
        "| Query | Backend | Request | cluster | actors | news | pages | discussions "
        "| correction | rest |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, _path in paths:
        for name in backends:
            parts = spent[(label, name)]
            sections = ("cluster", "actors", "news", "pages", "discussions", "correction")
            rest = parts["request"] - sum(parts.get(key, 0.0) for key in sections)
            cells = " | ".join(f"{parts.get(key, 0.0):.1f}" for key in sections)
            lines.append(f"| {label} | {name} | {parts['request']:.1f} | {cells} | {rest:.1f} |")
    try:
        lines += ["", *vocabulary_cost()]
    except Exception as error:  # noqa: BLE001 -- the tables above must not be lost
        lines += ["", f"Typo vocabulary: **failed**: {type(error).__name__}: {error}"]
    return lines


def vocabulary_cost() -> list[str]:
    """The actors' vocabulary for typo correction: built from nothing (what the first typo
    after a profile changed pays), and when its per-process cache is current."""
    from cobioe_cms.actors import text_search

    # The per-process cache of the profiles' words ({"key": ..., "words": ...}), under
    # the name it has had since 334aecd, or before it.
    cache = getattr(text_search, "_profile_words", None) or getattr(
        text_search, "_vocabulary", None
    )
    if not isinstance(cache, dict) or "key" not in cache:
        return ["Typo vocabulary: its cache was not found, so it was not measured."]
    times = []
    for _ in range(3):
        cache["key"] = None
        start = time.perf_counter()
        words = text_search.actor_vocabulary()
        times.append((time.perf_counter() - start) * 1000)
    cached = []
    for _ in range(5):
        start = time.perf_counter()
        text_search.actor_vocabulary()
        cached.append((time.perf_counter() - start) * 1000)
    return [
        f"Typo vocabulary (`actor_vocabulary`): {len(words):,} words; built in "
        f"{statistics.median(times):.0f} ms (median of 3: the first typo after a profile "
        f"changed pays it), {statistics.median(cached):.1f} ms when its cache is current "
        f"(median of 5)."
    ]


def actors_section(bench: Bench) -> list[str]:
    """(e') The organisations alone: what the header search's actors section asks."""
    from cobioe_cms.actors.models import ActorPage

    ranked = need("cobioe_cms.actors.text_search.ranked")
    understand_query = need("cobioe_cms.actors.text_search.understand_query")
    cluster_ranked_ids = need("cobioe_cms.actors.search_queries.cluster_ranked_ids")
    bench.need_index("actors")
    root = site_root()
    pages = (
        ActorPage.objects.live()
        .public()
        .descendant_of(root, inclusive=True)
        .select_related("organisation_type")
    )
    queries = dict(header_texts())

    def database(text: str) -> tuple[int, list[int]]:
        qs = ranked(pages, understand_query(text))
        return qs.count(), [actor.pk for actor in qs[:PAGE_SIZE]]

    def cluster(text: str) -> tuple[int, list[int]]:
        total, ids = cluster_ranked_ids(understand_query(text), root, size=PAGE_SIZE)
        rows = pages.in_bulk(ids)
        return total, [pk for pk in ids if pk in rows]

    cases = {}
    for label in queries:
        cases[(label, "database")] = lambda t=queries[label]: database(t)
        cases[(label, "cluster")] = lambda t=queries[label]: cluster(t)
    series = measure(cases, bench.args.runs)
    lines = [
        "| Query | Backend | p50 (ms) | p95 (ms) | max (ms) | Matched | Same first 20 |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    agree = True
    for label in queries:
        reference = series[(label, "database")].result
        for name in ("database", "cluster"):
            count, page = series[(label, name)].result
            same = "–" if name == "database" else yes_no(page == reference[1])
            agree &= count == reference[0] and page == reference[1]
            lines.append(
                f"| `{queries[label]}` | {name} | {_cells(series[(label, name)].times)} "
                f"| {count:,} | {same} |"
            )
    lines += [
        "",
        "Database: `understand_query` + `text_search.ranked(...)`: `count()` and the first "
        "20 rows. Cluster: `understand_query` + `cluster_ranked_ids(size=20)` (total and "
        "ids in one request) + the 20 rows from the database. No typo correction here.",
        f"Sanity: same count and same first 20, in order, on both: {yes_no(agree)}.",
    ]
    return lines


# key (for --only): (title, function, search indexes it needs).
MEASUREMENTS: dict[str, tuple[str, Callable[[Bench], list[str]], tuple[str, ...]]] = {
    "actors": ("(a) Actor text search", actor_search, ("actors",)),
    "directory": (
        "(a) Directory request `/cartography/?q=…` through the cluster",
        directory_requests,
        ("actors",),
    ),
    "facets": ("(b) Facet counts", facets, ("actors",)),
    "items": ("(c) Watch item search", item_search, ("watch_items",)),
    "percolation": (
        "(d) Percolation of the new items against the profiles",
        percolation,
        ("watch_profiles",),
    ),
    "header": (
        "(e) Header search `/search/?q=…` (issue 10)",
        header_search,
        ("actors", "community_threads"),
    ),
    "section": ("(e) The organisations section alone", actors_section, ("actors",)),
}
WATCH_MEASUREMENTS = {"items", "percolation"}


@contextmanager
def recording_faults() -> Iterator[list[str]]:
    """The cluster faults ``cobioe_cms.search.service`` records during the block: after
    one, ``answer()`` lets the database answer, and a "cluster" time would be a database
    time."""
    from cobioe_cms.search import service

    faults: list[str] = []
    original = service.record_fault

    def record(what: str, error: BaseException) -> None:
        faults.append(f"{what}: {type(error).__name__}: {error}")
        original(what, error)

    service.record_fault = record
    try:
        yield faults
    finally:
        service.record_fault = original
        service.reset_breaker()


def run_measurements(bench: Bench) -> list[str]:
    lines: list[str] = []
    for key in bench.args.only:
        title, function, _ = MEASUREMENTS[key]
        log(f"Measuring {title}...")
        lines += [f"## {title}", ""]
        with recording_faults() as faults:
            try:
                lines += function(bench)
            except Unavailable as error:
                lines.append(f"Not available: {error}")
            except Exception as error:  # noqa: BLE001 -- one failure must not lose the others
                lines.append(f"**Failed**: {type(error).__name__}: {error}")
        if faults:
            lines += [
                "",
                f"**{len(faults)} cluster faults** during this measurement: the database "
                f"answered in their place (first: {faults[0]}).",
            ]
        lines.append("")
    return lines


# -- report --------------------------------------------------------------------------------


def node_info(url: str) -> str:
    from cobioe_cms.search.client import get_client

    with search_url(url):
        info = get_client().info()["version"]
    distribution = info.get("distribution", "elasticsearch")
    return f"{distribution} {info['number']} (Lucene {info.get('lucene_version', '?')})"


def library_versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("opensearch-py", "elasticsearch", "elasticsearch-dsl"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            continue
    return ", ".join(found)


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s" if seconds > 0 and count else "–"


def build_table(args, timings, watch_timings, sizes, built, index_errors) -> list[str]:
    lines = [
        "| Step | Time (s) | Count | Rate |",
        "|---|---:|---:|---:|",
        f"| `migrate` | {timings['migrate']:.1f} | | |",
        f"| `load_demo --actors {args.actors} --seed {SEED}` | {timings['load_demo']:.1f} "
        f"| {sizes['actors in the cartography']:,} actors "
        f"| {_rate(args.actors, timings.get('generate_actors', 0))} |",
    ]
    if "generate_actors" not in timings:
        lines.append("| (actors already loaded: nothing generated) | | | |")
    if "news" in timings:
        lines.append(f"| `load_demo_news --count {args.news}` | {timings['news']:.1f} | | |")
    if "wagtail" in timings:
        lines += [
            f"| `update_index` (Wagtail, database backend) | {timings['wagtail']:.1f} | | |",
            f"| `update_index` (Wagtail, cluster `{INDEX_PREFIX}-wagtail-*`) "
            f"| {timings['wagtail_cluster']:.1f} | | |",
        ]
    if watch_timings:
        lines += [
            f"| watch items in bulk (with their links) | {watch_timings['items']:.1f} "
            f"| {args.items:,} | {_rate(args.items, watch_timings['items'])} |",
            f"| members and interest profiles in bulk | {watch_timings['profiles']:.1f} "
            f"| {args.profiles:,} | {_rate(args.profiles, watch_timings['profiles'])} |",
            f"| new items | {watch_timings['new_items']:.1f} | {args.new_items:,} "
            f"| {_rate(args.new_items, watch_timings['new_items'])} |",
        ]
        if "analyze" in watch_timings:
            lines.append(f"| `VACUUM ANALYZE` (PostgreSQL) | {watch_timings['analyze']:.1f} | | |")
    elif WATCH_MEASUREMENTS & set(args.only):
        lines.append("| (watch data already loaded: nothing generated) | | | |")
    else:
        lines.append("| (no watch data: not measured) | | | |")
    for name, rebuilt in built.items():
        lines.append(
            f"| `indexes.rebuild({name!r})` | {rebuilt.seconds:.1f} "
            f"| {rebuilt.documents:,} documents ({rebuilt.size / 1024 / 1024:,.1f} MiB) "
            f"| {_rate(rebuilt.documents, rebuilt.seconds)} |"
        )
    for name, error in index_errors.items():
        lines.append(f"| `indexes.rebuild({name!r})` | – | {error} | |")
    return lines


def report(args, info, node, timings, watch_timings, sizes, built, index_errors, results):
    lines = ["# Search benchmark: database vs cluster", "", "## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in info.items()]
    lines += [
        f"| Search node | {node} |",
        f"| Client libraries | {library_versions()} |",
        "",
        "## Data",
        "",
        "| | |",
        "|---|---:|",
    ]
    lines += [f"| {key} | {value:,} |" for key, value in sizes.items()]
    lines += [
        "",
        "## Build",
        "",
        *build_table(args, timings, watch_timings, sizes, built, index_errors),
        "",
        f"Timed runs: {WARMUP} warm-up then {args.runs} per case (percolation: "
        f"{PERCOLATION_WARMUP} warm-up then {args.percolation_runs}), the cases of a table "
        f"interleaved. p95 is the nearest rank. Times are in-process: the ORM and the "
        f"cluster client, no web server.",
        "",
        *results,
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    began = time.perf_counter()
    args = parse_args(argv)
    temp_db = base.configure()

    from django.conf import settings
    from django.db import connection

    from cobioe_cms.actors.models import CartographyPage

    # Build with no cluster (the test settings say so; make sure of it): nothing is
    # indexed page by page, the indexes are rebuilt in bulk afterwards.
    settings.COBIOE_SEARCH = cluster_settings("")
    document_errors = register_documents()
    try:
        log(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
        node = node_info(args.search_url)
        timings = base.load_data(args.actors)
        log(f"Demo actors loaded in {timings['load_demo']:.1f} s")
        if "header" in args.only:
            timings["news"] = load_news(args.news)
        watch_timings = {}
        if WATCH_MEASUREMENTS & set(args.only):
            log("Watch data...")
            watch_timings = load_watch(args)
        cartography = CartographyPage.objects.live().first()
        sizes = data_sizes(cartography)

        settings.COBIOE_SEARCH = cluster_settings(args.search_url)
        wanted = {name for key in args.only for name in MEASUREMENTS[key][2]}
        built, index_errors = rebuild_indexes(wanted)
        for module, error in document_errors.items():
            index_errors.setdefault(module, f"not available: {error}")
        bench = Bench(args, cartography, built, index_errors)
        if "header" in args.only:
            try:
                bench.built_wagtail = build_wagtail_indexes(args.search_url)
            except Exception as error:  # noqa: BLE001 -- reported by the header measurement
                index_errors["wagtail"] = f"update_index failed: {type(error).__name__}: {error}"
            else:
                timings["wagtail"] = bench.built_wagtail["database"]
                timings["wagtail_cluster"] = bench.built_wagtail["cluster"]
        results = run_measurements(bench)
        results.append(f"Total benchmark time: {time.perf_counter() - began:.0f} s")
        info = base.machine()
        print(report(args, info, node, timings, watch_timings, sizes, built, index_errors, results))
    finally:
        try:
            removed = delete_bench_indexes(args.search_url)
            log(f"Deleted the indexes: {', '.join(removed) or '(none)'}")
        except Exception as error:  # noqa: BLE001 -- the node may be what failed
            log(f"Could not delete the {INDEX_PREFIX}-* indexes: {error}")
        connection.close()
        base.remove_temp_db(temp_db, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
