"""The statistics of the published actors, from one cached snapshot.

The snapshot holds, for every value of every dimension (a country, an organisation
type, a stage...), the set of published actors that have it, as the bits of a Python
integer (actor *i* of the snapshot is bit *i*). Any count the panorama, a factsheet or
the API shows is then the population count of an AND of such sets: a cross-tabulation
of 40 countries by 20 modalities, filtered on a slice, is 800 ANDs of 10,000-bit
integers (well under a millisecond), and no request reads the actors themselves.

Building it costs a constant number of queries (the actors, one per taxonomy relation,
one per taxonomy), whatever the number of actors. It is kept in the shared cache under a
generation number, which :func:`invalidate` bumps when a profile is published,
unpublished, moved, deleted, merged or imported, or a taxonomy term changes
(:func:`connect`); each process also keeps the snapshot of the current generation in
memory, so a warm request costs one cache read (the generation).

Only keys (country codes, term slugs) and both labels of each term are stored: labels
are chosen in the request's language when shown.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.cache import cache
from django.core.signals import request_started
from django.db.models.signals import post_delete, post_save
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core import vocabulary
from cobioe_cms.core.countries import country_name

GENERATION_KEY = "cobioe-panorama:generation"
SNAPSHOT_KEY = "cobioe-panorama:snapshot:{generation}"
SNAPSHOT_TIMEOUT = 24 * 3600  # rebuilt at least daily, whatever happens


@dataclass(frozen=True)
class Dimension:
    """One way of counting actors. ``key`` is the cartography's query parameter for it
    (``?country=FR``, ``?stage=production``), so that every count links to its slice."""

    key: str
    label: Promise
    facet: vocabulary.Facet | None = None  # None: the country

    @property
    def is_country(self) -> bool:
        return self.facet is None


COUNTRY = Dimension("country", _("Country"))
DIMENSIONS: dict[str, Dimension] = {
    dimension.key: dimension
    for dimension in (
        COUNTRY,
        Dimension("type", vocabulary.ORGANISATION_TYPE.label, vocabulary.ORGANISATION_TYPE),
        Dimension("stage", vocabulary.STAGES.label, vocabulary.STAGES),
        Dimension("modality", vocabulary.MODALITIES.label, vocabulary.MODALITIES),
        Dimension("area", vocabulary.THERAPEUTIC_AREAS.label, vocabulary.THERAPEUTIC_AREAS),
        Dimension("scale", vocabulary.SCALES.label, vocabulary.SCALES),
        Dimension("gmp", vocabulary.GMP_STATUS.label, vocabulary.GMP_STATUS),
    )
}


@lru_cache(maxsize=512)
def _country_label(code: str, language: str) -> str:
    """A country's name in ``language`` (the active one): django-countries looks it up
    in its whole list each time, and a page shows each country several times."""
    return str(country_name(code))


@dataclass(frozen=True)
class Value:
    """One value of a dimension: its key in URLs, its labels, its actors (bits)."""

    key: str
    name: str
    name_fr: str
    depth: int
    bits: int

    @property
    def label(self) -> str:
        if not self.name_fr:  # countries: translated by django-countries
            if len(self.key) != 2:
                return self.name
            return _country_label(self.key, get_language() or "")
        return self.name_fr if (get_language() or "").startswith("fr") else self.name

    @property
    def count(self) -> int:
        return self.bits.bit_count()


@dataclass
class Snapshot:
    """The published actors, as sets per dimension value and per year of publication."""

    total: int = 0
    all_bits: int = 0
    values: dict[str, list[Value]] = field(default_factory=dict)
    years: dict[int, int] = field(default_factory=dict)  # year of first publication -> bits
    built_at: float = 0.0

    def value(self, dimension: str, key: str) -> Value | None:
        for value in self.values.get(dimension, ()):
            if value.key == key:
                return value
        return None

    def slice_bits(self, where: Mapping[str, str] | None = None) -> int:
        """The actors that have every ``dimension -> value key`` of ``where`` (an
        unknown dimension or value selects nobody)."""
        bits = self.all_bits
        for dimension, key in (where or {}).items():
            value = self.value(dimension, key)
            bits &= value.bits if value else 0
        return bits


def _bitsets(rows: Iterable[tuple[int, object]], index: dict[int, int]) -> dict[object, int]:
    """value -> bits of the actors (``index``: actor id -> bit) that have it."""
    sets: dict[object, int] = {}
    for actor_id, value in rows:
        position = index.get(actor_id)
        if position is not None and value is not None:
            sets[value] = sets.get(value, 0) | (1 << position)
    return sets


def _tree_order(terms: list) -> list:
    """Terms with each sub-stage right after its parent (the cartography's order)."""
    children: dict[int, list] = {}
    for term in terms:
        if term.parent_id:
            children.setdefault(term.parent_id, []).append(term)
    ordered = []
    for term in terms:
        if not term.parent_id:
            ordered.append(term)
            ordered.extend(children.pop(term.pk, []))
    for orphans in children.values():
        ordered.extend(orphans)
    return ordered


def published_actors():
    """The actors the statistics count: published, public, not merged away."""
    return ActorPage.objects.live().public().filter(merged_into__isnull=True)


def build_snapshot() -> Snapshot:
    """Read the published actors and their terms: 2 + 2 queries per taxonomy relation."""
    rows = list(
        published_actors()
        .order_by("pk")
        .values_list("pk", "country", "organisation_type_id", "gmp_status_id", "first_published_at")
    )
    index = {row[0]: position for position, row in enumerate(rows)}
    snapshot = Snapshot(total=len(rows), all_bits=(1 << len(rows)) - 1, built_at=time.time())
    countries = _bitsets(((row[0], row[1]) for row in rows), index)
    snapshot.values["country"] = sorted(
        (Value(str(code), str(code), "", 0, bits) for code, bits in countries.items()),
        key=lambda value: value.key,
    )
    single = {"organisation_type": 2, "gmp_status": 3}
    for dimension in DIMENSIONS.values():
        if dimension.is_country:
            continue
        facet = dimension.facet
        if facet.many:
            through = getattr(ActorPage, facet.relation).through
            source = ActorPage._meta.get_field(facet.relation).m2m_field_name()
            target = ActorPage._meta.get_field(facet.relation).m2m_reverse_field_name()
            pairs = through.objects.filter(**{f"{source}_id__in": list(index)}).values_list(
                f"{source}_id", f"{target}_id"
            )
            sets = _bitsets(pairs, index)
        else:
            sets = _bitsets(((row[0], row[single[facet.relation]]) for row in rows), index)
        has_parent = hasattr(facet.model, "parent_id")
        terms = (
            _tree_order(list(facet.model.objects.all()))
            if has_parent
            else facet.model.objects.all()
        )
        snapshot.values[dimension.key] = [
            Value(
                term.slug,
                term.name,
                term.name_fr or term.name,
                1 if has_parent and term.parent_id else 0,
                sets.get(term.pk, 0),
            )
            for term in terms
        ]
    years = _bitsets(((row[0], row[4].year if row[4] else None) for row in rows), index)
    snapshot.years = dict(sorted(years.items()))
    return snapshot


# -- the cache ------------------------------------------------------------------------

_local = threading.local()
# How long a process trusts the generation it read, outside a request (a request reads
# it once: request_started forgets it). Another worker's invalidation is seen by the
# next request, or within this long by a long-running command.
GENERATION_TRUSTED_SECONDS = 1.0


def forget_generation(**kwargs) -> None:
    """The next :func:`get_snapshot` reads the generation again (a new request)."""
    _local.checked = None


def current_generation() -> int:
    """The generation, read from the shared cache once per request: a panorama page
    asks for a dozen counts, each would otherwise be a cache read (a query on the
    database cache)."""
    checked = getattr(_local, "checked", None)
    now = time.monotonic()
    if checked is not None and now - checked[1] < GENERATION_TRUSTED_SECONDS:
        return checked[0]
    current = generation()
    _local.checked = (current, now)
    return current


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = time.time_ns()
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return int(value)


def get_snapshot() -> Snapshot:
    """The snapshot of the current generation: from this process's memory, else the
    shared cache, else built (and stored) now."""
    current = current_generation()
    memo = getattr(_local, "memo", None)
    if memo and memo[0] == current:
        return memo[1]
    key = SNAPSHOT_KEY.format(generation=current)
    snapshot = cache.get(key)
    if snapshot is None:
        snapshot = build_snapshot()
        cache.set(key, snapshot, timeout=SNAPSHOT_TIMEOUT)
    _local.memo = (current, snapshot)
    return snapshot


def invalidate(**kwargs) -> None:
    """Make every cached statistic stale: the next request builds a new snapshot."""
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    forget_generation()


def connect() -> None:
    """Invalidate on every change the statistics show (``PanoramaConfig.ready``)."""
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from cobioe_cms.actors.signals import actors_imported, actors_merged

    uid = "cobioe-panorama-statistics"
    request_started.connect(forget_generation, dispatch_uid=uid)
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(invalidate, sender=ActorPage, dispatch_uid=uid)
    post_page_move.connect(invalidate, dispatch_uid=uid)
    actors_imported.connect(invalidate, dispatch_uid=uid)
    actors_merged.connect(invalidate, dispatch_uid=uid)
    for facet in vocabulary.PROFILE_FACETS:
        post_save.connect(invalidate, sender=facet.model, dispatch_uid=uid)
        post_delete.connect(invalidate, sender=facet.model, dispatch_uid=uid)
    # The panorama's rendered sections (cached per generation) show the coverage too.
    from .models import CoverageEstimate

    post_save.connect(invalidate, sender=CoverageEstimate, dispatch_uid=uid)
    post_delete.connect(invalidate, sender=CoverageEstimate, dispatch_uid=uid)


# -- what the pages and the API ask ------------------------------------------------


@dataclass(frozen=True)
class Count:
    value: Value
    count: int


def counts(dimension: str, where: Mapping[str, str] | None = None) -> list[Count]:
    """The actors of the slice ``where`` per value of ``dimension``, in the taxonomy's
    order (countries by code); values with no actor at all are left out."""
    snapshot = get_snapshot()
    bits = snapshot.slice_bits(where)
    return [
        Count(value, (value.bits & bits).bit_count())
        for value in snapshot.values[dimension]
        if value.bits
    ]


def crosstab(
    rows: str, columns: str, where: Mapping[str, str] | None = None
) -> tuple[list[Value], list[Value], list[list[int]]]:
    """Rows x columns counts of the slice ``where`` (values without actors left out)."""
    snapshot = get_snapshot()
    bits = snapshot.slice_bits(where)
    row_values = [value for value in snapshot.values[rows] if value.bits]
    column_values = [value for value in snapshot.values[columns] if value.bits]
    cells = [
        [(row.bits & column.bits & bits).bit_count() for column in column_values]
        for row in row_values
    ]
    return row_values, column_values, cells


def growth(where: Mapping[str, str] | None = None) -> list[tuple[int, int, int]]:
    """(year, actors first published that year, actors published by the end of it)."""
    snapshot = get_snapshot()
    bits = snapshot.slice_bits(where)
    total = 0
    series = []
    for year, year_bits in snapshot.years.items():
        new = (year_bits & bits).bit_count()
        total += new
        series.append((year, new, total))
    return series
