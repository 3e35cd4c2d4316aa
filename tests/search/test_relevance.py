"""A labelled relevance set: what people in the sector type, and the organisations that
should come back, measured on the database (SQLite and PostgreSQL in CI) and on the
search cluster.

The data is seeded: 400 profiles from the demo generator (``seed=1130``) and a few
written here (accented names, French summaries). The *expected* organisations of each
query are computed from the profiles' structured data (taxonomy terms, keywords, city,
country, name), never by the search code, so a search that misunderstands a query
loses recall or precision.

Figures per query: recall@10 = |top 10 ∩ expected| / min(10, |expected|) and
precision@5 = |top 5 ∩ expected| / min(5, |expected|) (a query with two expected
organisations is perfect when both come first). Targets: means ≥ 0.9 on every backend.
The test prints the table (``tests/perf/README.md`` keeps a copy).

The header search (``SiteSearch``, typo correction included) and the cartography's text
query (``ActorFilter``) must match the same organisations for every query.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory

from cobioe_cms.actors.filters import ActorFilter
from cobioe_cms.actors.models import ActorPage
from cobioe_cms.actors.search_queries import cluster_matching_ids
from cobioe_cms.core.text import fold
from cobioe_cms.demo.actors import generate_actors
from cobioe_cms.search.site_search import SearchContext, SiteSearch, _site_root
from tests.factories import ActorPageFactory

SEED = 1130
GENERATED = 400
TARGET = 0.9


@dataclass(frozen=True)
class Profile:
    """What the oracle knows of a profile: its structured data."""

    pk: int
    title: str
    acronym: str
    city: str
    country: str
    kind: str
    terms: frozenset[str]  # "modality:vaccines", "stage:fill-finish", ...
    keywords: frozenset[str]

    def has(self, *terms: str) -> bool:
        return any(term in self.terms for term in terms)

    def tagged(self, *keywords: str) -> bool:
        return any(keyword in self.keywords for keyword in keywords)

    def named(self, text: str) -> bool:
        return set(fold(text).split()) <= set(fold(f"{self.title} {self.acronym}").split())


HANDMADE = [
    {
        "title": "Génopole",
        "organisation_type": "cluster",
        "city": "Évry-Courcouronnes",
        "country": "FR",
        "summary": "Biocluster de référence pour les biothérapies et la bioproduction.",
        "stages": ["research-development", "training"],
        "modalities": ["gene-therapies-viral-vectors", "cell-therapies"],
    },
    {
        "title": "Vecteurs Viraux de l'Essonne",
        "organisation_type": "cdmo",
        "city": "Corbeil-Essonnes",
        "country": "FR",
        "summary": "Production de vecteurs viraux AAV et lentiviraux aux normes BPF.",
        "stages": ["production", "clinical-manufacturing"],
        "modalities": ["gene-therapies-viral-vectors"],
        "services": ["viral-vector-production", "contract-manufacturing"],
        "keywords": ["AAV", "lentivirus"],
    },
    {
        "title": "Øresund Antibody Works",
        "organisation_type": "cdmo",
        "city": "København",
        "country": "DK",
        "summary": "Development and manufacturing of monoclonal antibodies at 2,000 L.",
        "stages": ["production", "commercial-manufacturing"],
        "modalities": ["monoclonal-antibodies"],
        "services": ["contract-manufacturing", "fill-finish-services"],
    },
    {
        "title": "Instituto Célula Lisboa",
        "organisation_type": "academic-lab",
        "city": "Lisboa",
        "country": "PT",
        "summary": "Academic research on iPSC-derived cell therapies.",
        "stages": ["research-development"],
        "modalities": ["cell-therapies"],
        "keywords": ["iPSC"],
    },
]


def load_profiles(cartography) -> dict[int, Profile]:
    generate_actors(cartography, GENERATED, seed=SEED)
    for data in HANDMADE:
        ActorPageFactory(parent=cartography, **data)
    relations = ("stages", "modalities", "therapeutic_areas", "services", "scales")
    prefix = {
        "stages": "stage",
        "modalities": "modality",
        "therapeutic_areas": "area",
        "services": "service",
        "scales": "scale",
    }
    actors = (
        ActorPage.objects.live()
        .public()
        .select_related("organisation_type")
        .prefetch_related(*relations, "keywords")
    )
    profiles = {}
    for actor in actors:
        terms = {
            f"{prefix[relation]}:{term.slug}"
            for relation in relations
            for term in getattr(actor, relation).all()
        }
        profiles[actor.pk] = Profile(
            pk=actor.pk,
            title=actor.title,
            acronym=actor.acronym,
            city=actor.city,
            country=str(actor.country),
            kind=actor.organisation_type.slug if actor.organisation_type else "",
            terms=frozenset(terms),
            keywords=frozenset(tag.name for tag in actor.keywords.all()),
        )
    return profiles


Oracle = Callable[[Profile], bool]


def relevance_set(profiles: dict[int, Profile]) -> list[tuple[str, str, Oracle]]:
    """(category, query, which profiles should be found), some queries derived from the
    seeded data (a name, the most common cities)."""
    generated = [p for p in profiles.values() if p.title not in {h["title"] for h in HANDMADE}]
    by_title: dict[str, list[Profile]] = {}
    for profile in generated:
        by_title.setdefault(profile.title, []).append(profile)
    unique_names = sorted(title for title, found in by_title.items() if len(found) == 1)
    with_acronym = sorted(p.acronym for p in generated if p.acronym)
    acronym = next(a for a in with_acronym if with_acronym.count(a) == 1)
    middle_name = unique_names[len(unique_names) // 2]
    cities: dict[tuple[str, str], int] = {}
    for profile in generated:
        if profile.city:
            cities[(profile.country, profile.city)] = (
                cities.get((profile.country, profile.city), 0) + 1
            )
    french_city = max((n, c) for (country, c), n in cities.items() if country == "FR")[1]
    german_city = max((n, c) for (country, c), n in cities.items() if country == "DE")[1]

    mab = lambda p: p.has("modality:monoclonal-antibodies")  # noqa: E731
    vaccines = lambda p: p.has("modality:vaccines")  # noqa: E731
    cell = lambda p: p.has("modality:cell-therapies")  # noqa: E731
    gene = lambda p: p.has("modality:gene-therapies-viral-vectors")  # noqa: E731
    viral = lambda p: gene(p) or p.has("service:viral-vector-production")  # noqa: E731
    fill = lambda p: (  # noqa: E731
        p.has("stage:fill-finish", "service:fill-finish-services") or p.tagged("aseptic filling")
    )
    antibodies = lambda p: p.has(  # noqa: E731
        "modality:monoclonal-antibodies",
        "modality:antibody-drug-conjugates",
        "modality:bispecifics-fusion-proteins",
    )
    contract = lambda p: p.kind == "cdmo" or p.has("service:contract-manufacturing")  # noqa: E731
    cdmo = lambda p: p.kind == "cdmo"  # noqa: E731
    french = lambda p: p.country == "FR"  # noqa: E731
    quality = lambda p: p.has("stage:quality-control", "service:qc-release-testing")  # noqa: E731

    return [
        # Names, exact and folded.
        ("name", unique_names[0], lambda p: p.named(unique_names[0])),
        ("name", middle_name, lambda p: p.named(middle_name)),
        ("name", unique_names[-1].lower(), lambda p: p.named(unique_names[-1])),
        ("name", acronym, lambda p: p.acronym == acronym),
        ("name", "genopole", lambda p: p.title == "Génopole"),
        ("name", "oresund antibody works", lambda p: p.title == "Øresund Antibody Works"),
        # Taxonomy labels, singular and plural, English and French.
        ("plural", "vaccines", vaccines),
        ("plural", "vaccine", vaccines),
        ("french", "vaccins", vaccines),
        ("plural", "cell therapy", cell),
        ("plural", "cell therapies", cell),
        ("french", "thérapie cellulaire", cell),
        ("french", "therapies cellulaires", cell),
        ("plural", "viral vector", viral),
        ("french", "vecteurs viraux", viral),
        ("french", "anticorps monoclonaux", mab),
        ("french", "anticorps", antibodies),
        ("plural", "monoclonal antibody", mab),
        ("plural", "oncology", lambda p: p.has("area:oncology")),
        ("french", "maladies rares", lambda p: p.has("area:rare-diseases")),
        ("french", "contrôle qualité", quality),
        ("plural", "commercial scale", lambda p: p.has("scale:commercial")),
        # Acronyms and synonyms.
        ("acronym", "mAb", mab),
        ("acronym", "ADC", lambda p: p.has("modality:antibody-drug-conjugates")),
        ("acronym", "mRNA", lambda p: p.has("modality:mrna-nucleic-acids")),
        ("acronym", "ARNm", lambda p: p.has("modality:mrna-nucleic-acids")),
        ("acronym", "CDMO", lambda p: p.kind == "cdmo"),
        ("acronym", "CRO", lambda p: p.kind == "cro"),
        ("acronym", "ATMP", lambda p: cell(p) or gene(p)),
        ("acronym", "CGT", lambda p: cell(p) or gene(p)),
        ("acronym", "F&F", fill),
        ("synonym", "fill and finish", fill),
        ("synonym", "fill-finish", fill),
        ("acronym", "QC", quality),
        ("acronym", "DS", lambda p: p.has("stage:drug-substance")),
        ("acronym", "DP", lambda p: p.has("stage:drug-product")),
        ("acronym", "AAV", lambda p: p.tagged("AAV")),
        ("acronym", "LV", lambda p: p.tagged("lentivirus")),
        ("acronym", "LNP", lambda p: p.tagged("LNP")),
        ("acronym", "iPSC", lambda p: p.tagged("iPSC")),
        ("acronym", "USP", lambda p: p.tagged("upstream")),
        ("acronym", "DSP", lambda p: p.tagged("downstream")),
        ("acronym", "BPF", lambda p: p.has("service:gmp-training") or p.tagged("GMP training")),
        ("synonym", "contract manufacturing", contract),
        ("synonym", "cancer", lambda p: p.has("area:oncology")),
        ("synonym", "scale up", lambda p: p.has("stage:scale-up")),
        # Places.
        ("city", french_city, lambda p: p.city == french_city),
        ("city", german_city.lower(), lambda p: p.city == german_city),
        ("country", "Germany", lambda p: p.country == "DE"),
        ("country", "Allemagne", lambda p: p.country == "DE"),
        # Typos.
        ("typo", "vacine", vaccines),
        ("typo", "monoclonl antibodies", mab),
        ("typo", "oncolgy", lambda p: p.has("area:oncology")),
        ("typo", "Germny", lambda p: p.country == "DE"),
        # Combinations.
        ("combination", "CDMO viral vector France", lambda p: cdmo(p) and viral(p) and french(p)),
        ("combination", "vaccines Germany", lambda p: vaccines(p) and p.country == "DE"),
        ("combination", f"cell therapy {french_city}", lambda p: cell(p) and p.city == french_city),
        ("combination", "mAb CDMO", lambda p: mab(p) and p.kind == "cdmo"),
    ]  # fmt: skip


@dataclass
class Measured:
    category: str
    query: str
    expected: int
    found: int
    recall: float
    precision: float


def measure(
    profiles: dict[int, Profile], ranked_ids: Callable[[str], tuple[int, list[int]]]
) -> list[Measured]:
    rows = []
    for category, query, oracle in relevance_set(profiles):
        expected = {pk for pk, profile in profiles.items() if oracle(profile)}
        assert expected, f"the seeded data has no answer to {query!r}: fix the set"
        total, ids = ranked_ids(query)
        top10, top5 = set(ids[:10]), set(ids[:5])
        rows.append(
            Measured(
                category,
                query,
                len(expected),
                total,
                len(top10 & expected) / min(10, len(expected)),
                len(top5 & expected) / min(5, len(expected)),
            )
        )
    return rows


def report(backend: str, rows: list[Measured], capsys) -> tuple[float, float]:
    recall = sum(r.recall for r in rows) / len(rows)
    precision = sum(r.precision for r in rows) / len(rows)
    lines = [
        f"\nRelevance set on {backend}: {len(rows)} queries, "
        f"mean recall@10 {recall:.3f}, mean precision@5 {precision:.3f}",
        "| category | query | expected | found | recall@10 | precision@5 |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r.category} | {r.query} | {r.expected} | {r.found} "
        f"| {r.recall:.2f} | {r.precision:.2f} |"
        for r in rows
    ]
    with capsys.disabled():
        sys.stdout.write("\n".join(lines) + "\n")
    return recall, precision


def header_search(query: str, *, everything: bool = False) -> tuple[int, list[int]]:
    """The organisations the header search shows for ``query`` (first page, or every
    one), after its typo correction."""
    request = RequestFactory().get("/search/", {"q": query, "kind": "actors"})
    request.user = AnonymousUser()
    search = SiteSearch(request).run()
    actors = next(r for r in search.results if r.section.key == "actors")
    if everything:
        section = actors.section
        found = section.search(SearchContext(search.query, request, _site_root(request)))
        return actors.count, [a.pk for a in found[0 : found.count()]]
    return actors.count, [a.pk for a in actors.page.object_list]


def cartography_ids(cartography, query: str, *, cluster: bool = False) -> set[int]:
    params = QueryDict(mutable=True)
    params["q"] = query
    actor_filter = ActorFilter(params, cartography.actors())
    if cluster:
        return cluster_matching_ids(actor_filter, within=cartography)
    return set(actor_filter.filtered().values_list("pk", flat=True))


@pytest.mark.django_db
def test_relevance_on_the_database(cartography, capsys):
    profiles = load_profiles(cartography)
    rows = measure(profiles, header_search)
    recall, precision = report(f"the database ({connection.vendor})", rows, capsys)
    assert recall >= TARGET and precision >= TARGET
    # No query is a total failure.
    assert [r.query for r in rows if r.recall < 0.5] == []


@pytest.mark.django_db
def test_header_search_and_cartography_agree(cartography):
    profiles = load_profiles(cartography)
    for _category, query, _oracle in relevance_set(profiles):
        _total, header = header_search(query, everything=True)
        assert set(header) == cartography_ids(cartography, query), query


@pytest.mark.django_db
def test_relevance_on_the_cluster(cartography, search_cluster, settings, capsys):
    profiles = load_profiles(cartography)
    cluster_settings = settings.COBIOE_SEARCH
    settings.COBIOE_SEARCH = {"URL": ""}
    queries = [query for _category, query, _oracle in relevance_set(profiles)]
    database = {query: header_search(query, everything=True) for query in queries}
    settings.COBIOE_SEARCH = cluster_settings
    call_command("search_rebuild", stdout=StringIO())
    rows = measure(profiles, header_search)
    recall, precision = report("the cluster (OpenSearch)", rows, capsys)
    assert recall >= TARGET and precision >= TARGET
    for query in queries:
        total, ids = header_search(query, everything=True)
        # The cluster finds and ranks exactly as the database does...
        assert (total, ids) == database[query], query
        # ...and its cartography agrees with its header search.
        assert set(ids) == cartography_ids(cartography, query, cluster=True), query
