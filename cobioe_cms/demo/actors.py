"""Demo content: a deterministic generator of synthetic actors, built in bulk (the site
skeleton and the consortium's profiles are in ``site_setup``).

Creating pages one by one with ``add_child`` runs at about 25 pages a second; the
generator instead writes the page tree rows itself (paths, depth, URL paths) in
batches, so 10,000 actors take seconds. Being rows rather than saves, they reach no
search index by themselves: the generator adds them to Wagtail's (database, and the
cluster's when configured) in bulk and queues the cluster's actors index, as publishing
would. Every generated profile has ``is_demo`` set and says it is synthetic.
"""

from __future__ import annotations

import datetime
import random

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.queryset import FakeQuerySet
from taggit.models import Tag
from wagtail.models import Page

from cobioe_cms.actors.bulk import BATCH, insert_children
from cobioe_cms.actors.geocoding import cities_of, locate_city
from cobioe_cms.actors.models import (
    ActorPage,
    ActorPageTag,
    CartographyPage,
    LocationPrecision,
    SizeBand,
)
from cobioe_cms.actors.models.search_text import search_fields_for
from cobioe_cms.actors.search_documents import INDEX_NAME
from cobioe_cms.core.vocabulary import PROFILE_FACETS, TERM_RELATIONS
from cobioe_cms.search.tasks import schedule_sync
from cobioe_cms.search.wagtail_index import index_objects

# Relative weights: where Europe's bioproduction actors are, roughly.
COUNTRY_WEIGHTS = {
    "FR": 14, "DE": 16, "GB": 12, "IT": 8, "ES": 7, "NL": 6, "BE": 6, "CH": 6, "DK": 4,
    "SE": 4, "IE": 3, "AT": 3, "PL": 3, "PT": 3, "FI": 2, "NO": 2, "CZ": 2, "HU": 2,
    "LT": 1, "EE": 1, "SI": 1, "HR": 1, "GR": 1, "RO": 1, "SK": 1, "LU": 1, "LV": 1,
    "BG": 1, "IS": 1, "MT": 1, "CY": 1, "RS": 1,
}  # fmt: skip
NAME_START = (
    "Bio", "Cell", "Gen", "Vax", "Immu", "Thera", "Proto", "Myco", "Lumi", "Nova", "Axo",
    "Cyto", "Plasmi", "Vire", "Evo", "Kine", "Onco", "Ribo", "Helio", "Synth",
)  # fmt: skip
NAME_END = (
    "gen", "vance", "lytix", "nova", "cyte", "mab", "vec", "thera", "ris", "tek", "pharm",
    "logix", "forma", "sys", "metrix", "core", "via", "ligo", "plex", "cura",
)  # fmt: skip
NAME_KIND = {
    "company": ("Therapeutics", "Biologics", "Bio", "Biotech"),
    "large-pharma": ("Pharma", "Pharmaceuticals"),
    "cdmo": ("Manufacturing", "CDMO", "Bioservices"),
    "cro": ("Research", "Analytics", "CRO"),
    "academic-lab": ("Laboratory", "Institute", "Lab"),
    "hospital": ("University Hospital", "Clinical Centre"),
    "training-centre": ("Academy", "Training Centre", "School of Bioproduction"),
    "cluster": ("Cluster", "BioRegion", "Network"),
    "public-body": ("Agency", "Innovation Office"),
    "investor": ("Ventures", "Capital", "Partners"),
    "supplier": ("Systems", "Equipment", "Technologies"),
}
KEYWORDS = (
    "single-use", "continuous processing", "perfusion", "downstream", "upstream",
    "chromatography", "lyophilisation", "aseptic filling", "AAV", "lentivirus", "CAR-T",
    "LNP", "biosimilars", "digital twin", "PAT", "QbD", "automation", "cryopreservation",
    "iPSC", "organoids", "bioinformatics", "sustainability", "tech transfer", "GMP training",
)  # fmt: skip


class DemoGenerator:
    """Deterministic synthetic actors: the same seed gives the same profiles."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        # Terms by the facets' URL keys ("stage", "area"…).
        self.terms = {facet.url_key: list(facet.model.objects.all()) for facet in PROFILE_FACETS}
        if not all(self.terms.values()):
            raise ValueError("Load the taxonomies first (manage.py load_taxonomies).")
        self.cities = {code: cities_of(code, 12) for code in COUNTRY_WEIGHTS}
        self.countries = list(COUNTRY_WEIGHTS)
        self.country_weights = list(COUNTRY_WEIGHTS.values())

    def _sample(self, key: str, low: int, high: int) -> list:
        pool = self.terms[key]
        return self.random.sample(pool, min(len(pool), self.random.randint(low, high)))

    def profile(self, index: int) -> dict:
        rnd = self.random
        kind = rnd.choice(self.terms["type"])
        name = rnd.choice(NAME_START) + rnd.choice(NAME_END)
        title = f"{name} {rnd.choice(NAME_KIND.get(kind.slug, ('Bio',)))}"
        country = rnd.choices(self.countries, self.country_weights)[0]
        city = rnd.choice(self.cities[country]) if self.cities[country] else ""
        if rnd.random() < 0.03:
            city = ""  # some profiles have no known place
        stages = self._sample("stage", 1, 3)
        parents = {s.parent_id for s in stages if s.parent_id}
        stages += [s for s in self.terms["stage"] if s.pk in parents and s not in stages]
        modalities = self._sample("modality", 1, 3)
        areas = self._sample("area", 0, 3)
        produces = any(s.slug in {"production", "process-development"} for s in stages)
        summary = (
            f"Demo profile (synthetic data). {title} works on "
            f"{', '.join(m.name.lower() for m in modalities)} in {city or country}."
        )
        return {
            "title": title,
            "acronym": name.upper()[:6] if rnd.random() < 0.3 else "",
            "organisation_type": kind,
            "country": country,
            "city": city,
            "postcode": f"{rnd.randint(1000, 99999)}" if city else "",
            "summary": summary,
            "stages": stages,
            "modalities": modalities,
            "therapeutic_areas": areas,
            "services": self._sample("service", 0, 4),
            "scales": self._sample("scale", 1, 2) if produces else [],
            "gmp": rnd.choice(self.terms["gmp"]) if produces else None,
            "expression_systems": self._sample("expression-system", 0, 2) if produces else [],
            "volume": rnd.choice([50, 200, 500, 2000, 10000, 20000]) if produces else None,
            "size": rnd.choice(SizeBand.values),
            "year": rnd.randint(1950, 2025),
            "keywords": rnd.sample(KEYWORDS, rnd.randint(0, 3)),
            "verified": rnd.random() < 0.4,
            "reviewed_days_ago": rnd.randint(0, 800),
            "published_days_ago": rnd.randint(0, 1500),
        }


@transaction.atomic
def generate_actors(cartography: CartographyPage, count: int, seed: int) -> int:
    """Add ``count`` synthetic actors under ``cartography`` in bulk."""
    generator = DemoGenerator(seed)
    today = timezone.now().date()
    now = timezone.now()
    tags = {
        name: Tag.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]
        for name in KEYWORDS
    }
    profiles = [generator.profile(i) for i in range(count)]
    actors: list[ActorPage] = []
    for data in profiles:
        coordinates = locate_city(data["city"], data["country"])
        actor = ActorPage(
            title=data["title"],
            acronym=data["acronym"],
            organisation_type=data["organisation_type"],
            summary=data["summary"],
            city=data["city"],
            postcode=data["postcode"],
            country=data["country"],
            latitude=coordinates[0] if coordinates else None,
            longitude=coordinates[1] if coordinates else None,
            location_precision=LocationPrecision.CITY if coordinates else "",
            gmp_status=data["gmp"],
            max_bioreactor_volume=data["volume"],
            size_band=data["size"],
            year_founded=data["year"],
            verified=data["verified"],
            last_reviewed=today - datetime.timedelta(days=data["reviewed_days_ago"]),
            is_demo=True,
            **search_fields_for(
                data["title"],
                data["acronym"],
                [data["summary"], data["city"]],
                data["country"],
                data["keywords"],
                [
                    *(term for relation in TERM_RELATIONS for term in data[relation]),
                    data["organisation_type"],
                ],
            ),
        )
        actor._published = now - datetime.timedelta(days=data["published_days_ago"])
        # The keywords as a prefetch would leave them (their rows are inserted below):
        # the search index reads them without a query per actor.
        actor._prefetched_objects_cache = {
            "keywords": FakeQuerySet(Tag, [tags[name] for name in data["keywords"]])
        }
        actors.append(actor)
    insert_children(
        cartography,
        actors,
        lambda actor: {
            "live": True,
            "has_unpublished_changes": False,
            "first_published_at": actor._published,
            "last_published_at": actor._published,
        },
    )

    for relation in TERM_RELATIONS:
        m2m = ActorPage._meta.get_field(relation)
        through = m2m.remote_field.through
        source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
        rows = [
            through(**{f"{source}_id": actor.pk, f"{target}_id": term.pk})
            for actor, data in zip(actors, profiles, strict=True)
            for term in data[relation]
        ]
        through.objects.bulk_create(rows, batch_size=BATCH)
    ActorPageTag.objects.bulk_create(
        [
            ActorPageTag(content_object_id=actor.pk, tag=tags[name])
            for actor, data in zip(actors, profiles, strict=True)
            for name in data["keywords"]
        ],
        batch_size=BATCH,
    )
    index_objects(ActorPage, actors)
    schedule_sync(INDEX_NAME, [actor.pk for actor in actors])
    _refresh_planner_statistics()
    return count


def _refresh_planner_statistics() -> None:
    """After a bulk load PostgreSQL plans with stale statistics until autovacuum runs
    (measured: cartography pages 1.5-1.9 times slower); refresh them now."""
    if connection.vendor != "postgresql":
        return
    tables = [Page._meta.db_table, ActorPage._meta.db_table, ActorPageTag._meta.db_table]
    tables += [
        ActorPage._meta.get_field(name).remote_field.through._meta.db_table
        for name in TERM_RELATIONS
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ANALYZE "{table}"')  # noqa: S608 - model table names


def remove_demo_actors(cartography: CartographyPage) -> int:
    """Delete the generated actors (never the real ones) under ``cartography``."""
    ids = list(
        ActorPage.objects.child_of(cartography).filter(is_demo=True).values_list("pk", flat=True)
    )
    if ids:
        Page.objects.filter(pk__in=ids).delete()
    return len(ids)
