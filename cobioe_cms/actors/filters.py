"""The cartography's query builder: one place that turns URL parameters into a
queryset of actors, facet counts and messages about ignored input.

The directory page, the map data and the exports all go through
:class:`ActorFilter`, so the numbers they show always agree. Filters are ANDed across
facets and ORed within one facet; the counts of a facet reflect every *other* active
filter, so each count says how many actors a click would add.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, F, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cobioe_cms.core import vocabulary
from cobioe_cms.core.countries import EUROPE, country_name
from cobioe_cms.core.text import clean_typed

from .models.actor_page import ActorPage
from .text_search import ActorQuery, matching, parse_actor_query, relevance, understand_query

MAX_VALUES_PER_FACET = 30
MAX_VALUE_LENGTH = 60
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Facet:
    """A filterable dimension of a listing, named ``key`` in URLs. ``kind`` is "m2m" or
    "fk" (taxonomy terms, by slug), "country", or "choice" (a field with choices)."""

    key: str
    label: Promise
    field: str
    kind: str
    model: type | None = None

    @classmethod
    def of(cls, facet: vocabulary.Facet) -> Facet:
        """The filter on a taxonomy relation of the shared vocabulary."""
        kind = "m2m" if facet.many else "fk"
        return cls(facet.url_key, facet.label, facet.relation, kind, facet.model)


FACETS: tuple[Facet, ...] = (
    Facet("country", gettext_lazy("Country"), "country", "country"),
    *map(
        Facet.of,
        (
            vocabulary.ORGANISATION_TYPE,
            vocabulary.STAGES,
            vocabulary.MODALITIES,
            vocabulary.THERAPEUTIC_AREAS,
            vocabulary.SCALES,
            vocabulary.GMP_STATUS,
        ),
    ),
)
FACETS_BY_KEY = {facet.key: facet for facet in FACETS}

# Every order ends with the primary key, so pages never overlap. Nullable dates say
# where their NULLs go: SQLite puts them last in a descending order, PostgreSQL first,
# and the search cluster (``search_queries.CLUSTER_SORTS``) must give the same order.
# Titles compare as the database compares them (code point order on SQLite and on
# PostgreSQL with the C / C.UTF-8 collation; see ``search_queries``).
SORTS: dict[str, tuple[Promise, tuple[str | OrderBy, ...]]] = {
    # Only with a text query, and then the default: the rank of :mod:`.text_search`.
    "relevance": (gettext_lazy("Best match"), ("-relevance", "title", "pk")),
    "name": (gettext_lazy("Name"), ("title", "pk")),
    "country": (gettext_lazy("Country"), ("country", "title", "pk")),
    "recent": (
        gettext_lazy("Recently added"),
        (F("first_published_at").desc(nulls_last=True), "pk"),
    ),
    "reviewed": (
        gettext_lazy("Recently reviewed"),
        (F("last_reviewed").desc(nulls_last=True), "title", "pk"),
    ),
}
DEFAULT_SORT = "name"
RELEVANCE = "relevance"


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    depth: int = 0
    url: str = ""


@dataclass
class FacetResult:
    facet: Facet
    options: list[FacetOption] = field(default_factory=list)

    @property
    def has_selection(self) -> bool:
        return any(option.selected for option in self.options)


def shorten(value: str, length: int = 40) -> str:
    return value if len(value) <= length else value[: length - 1] + "…"


class FacetedFilter:
    """What every listing's query builder shares (the cartography's :class:`ActorFilter`,
    the opportunities board's): parsing the facets' values from a query string
    (unknown ones dropped and explained in :attr:`messages`) and the canonical URL of a
    state, with one value toggled. A subclass sets :attr:`facet_set`, ``query`` and
    ``sort`` (and ``default_sort``), and may add its own terms (:meth:`_load_terms`),
    value spelling (:meth:`_normalised`) and parameters (:meth:`_extra_state`)."""

    facet_set: tuple[Facet, ...] = ()
    query: str = ""
    sort: str = ""
    default_sort: str = ""

    def _parse_facets(self, params) -> None:
        self.messages: list[str] = []
        self.terms: dict[str, dict[str, object]] = {}
        self.selected: dict[str, list[str]] = {}
        for facet in self.facet_set:
            self.selected[facet.key] = self._parse_facet(facet, params.getlist(facet.key))

    def _load_terms(self, facet: Facet) -> dict[str, object]:
        """value -> its term (or its label): the countries of Europe, or the terms."""
        if facet.kind == "country":
            return {code: country_name(code) for code in EUROPE}
        return {term.slug: term for term in facet.model.objects.all()}

    def _known_terms(self, facet: Facet) -> dict[str, object]:
        """:meth:`_load_terms`, once per facet."""
        if facet.key not in self.terms:
            self.terms[facet.key] = self._load_terms(facet)
        return self.terms[facet.key]

    def _normalised(self, facet: Facet, value: str) -> str:
        return value.upper() if facet.kind == "country" else value.lower()

    def _parse_facet(self, facet: Facet, raw_values: list[str]) -> list[str]:
        values: list[str] = []
        if len(raw_values) > MAX_VALUES_PER_FACET:
            self.messages.append(
                _("Only the first %(n)d values of “%(facet)s” were used.")
                % {"n": MAX_VALUES_PER_FACET, "facet": facet.label}
            )
            raw_values = raw_values[:MAX_VALUES_PER_FACET]
        wanted = [v.strip() for v in raw_values if v.strip()]
        if not wanted:
            return values
        known = self._known_terms(facet)
        for value in wanted:
            normalised = self._normalised(facet, value)
            if len(value) <= MAX_VALUE_LENGTH and normalised in known:
                if normalised not in values:
                    values.append(normalised)
            else:
                self.messages.append(
                    _("“%(value)s” is not a known value of “%(facet)s”; it was ignored.")
                    % {"value": shorten(value), "facet": facet.label}
                )
        return values

    def _option(self, facet: Facet, value: str, label: str, count: int, depth: int) -> FacetOption:
        """One value of ``facet`` as the listing offers it, with the URL that toggles it."""
        return FacetOption(
            value=value,
            label=label,
            count=count,
            selected=value in self.selected[facet.key],
            depth=depth,
            url="?" + self.querystring(toggle=(facet.key, value)),
        )

    # -- URLs ------------------------------------------------------------------------

    def _extra_state(self) -> list[tuple[str, str]]:
        """A subclass's own parameters, after the facets' and before the sort."""
        return []

    def state(self, toggle: tuple[str, str] | None = None) -> list[tuple[str, str]]:
        """The canonical (valid-only) parameters, optionally with one value toggled."""
        params: list[tuple[str, str]] = []
        if self.query:
            params.append(("q", self.query))
        for facet in self.facet_set:
            values = list(self.selected[facet.key])
            if toggle and toggle[0] == facet.key:
                if toggle[1] in values:
                    values.remove(toggle[1])
                else:
                    values.append(toggle[1])
            params.extend((facet.key, value) for value in values)
        params.extend(self._extra_state())
        if self.sort != self.default_sort:
            params.append(("sort", self.sort))
        return params

    def querystring(self, toggle: tuple[str, str] | None = None, **extra) -> str:
        return urlencode(self.state(toggle) + [(k, v) for k, v in extra.items() if v])

    def active_filters(self) -> list[tuple[str, str, str]]:
        """(facet label, value label, URL removing it) for each active filter."""
        active = []
        for facet in self.facet_set:
            known = self._known_terms(facet) if self.selected[facet.key] else {}
            for value in self.selected[facet.key]:
                term = known[value]
                label = getattr(term, "label", term)
                url = "?" + self.querystring(toggle=(facet.key, value))
                active.append((str(facet.label), str(label), url))
        return active


class ActorFilter(FacetedFilter):
    """Parses a query string against the taxonomies and builds querysets from it.

    ``base`` is the set of actors the listing may show (published, public, under one
    cartography page). Invalid input never raises: it is dropped and explained in
    :attr:`messages`.
    """

    facet_set = FACETS

    def __init__(self, params, base: QuerySet[ActorPage]):
        self.base = base
        self._parse_facets(params)
        self.query, self.text_query = self._parse_query(params.get("q", ""))
        self.verified_only = params.get("verified", "") in {"1", "on", "true"}
        self.sort = self._parse_sort(params.get("sort", ""))

    # -- parsing -----------------------------------------------------------------

    def _parse_query(self, raw: str) -> tuple[str, ActorQuery]:
        query, shortened = clean_typed(raw, MAX_QUERY_LENGTH)
        if shortened:
            self.messages.append(
                _("The search text was shortened to its first %(n)d characters.")
                % {"n": MAX_QUERY_LENGTH}
            )
        if query and not understand_query(query):
            self.messages.append(
                _("The search text has no word to look for (only punctuation or “and”, “of”…).")
            )
        text_query = parse_actor_query(query, lambda q: matching(self.base, q).exists())
        if text_query.corrected_from:
            self.messages.append(
                _("No organisation matches “%(typed)s”; showing those matching “%(text)s”.")
                % {"typed": shorten(text_query.typed), "text": shorten(text_query.text)}
            )
        return query, text_query

    @property
    def default_sort(self) -> str:
        return RELEVANCE if self.text_query.understood else DEFAULT_SORT

    def sort_choices(self) -> list[tuple[str, Promise]]:
        """The orders this listing offers ("Best match" only for a text query)."""
        return [
            (key, label)
            for key, (label, _order) in SORTS.items()
            if key != RELEVANCE or self.text_query.understood
        ]

    def _parse_sort(self, raw: str) -> str:
        if raw and raw not in SORTS:
            self.messages.append(
                _("Unknown sort order “%(value)s”; sorted by name.") % {"value": shorten(raw)}
            )
            return self.default_sort
        if raw == RELEVANCE and not self.text_query.understood:
            return DEFAULT_SORT  # nothing to rank by: a link kept after clearing the text
        return raw or self.default_sort

    # -- querysets -----------------------------------------------------------------

    @property
    def is_filtered(self) -> bool:
        return bool(self.text_query.understood or self.verified_only or any(self.selected.values()))

    def _apply_facet(self, qs: QuerySet, facet: Facet, values: list[str]) -> QuerySet:
        if facet.kind == "country":
            return qs.filter(country__in=values)
        if facet.kind == "fk":
            return qs.filter(**{f"{facet.field}__slug__in": values})
        through, source, target = m2m_names(facet)
        matching = through.objects.filter(**{f"{target}__slug__in": values})
        return qs.filter(pk__in=matching.values(f"{source}_id"))

    def filtered(self, exclude: str | None = None) -> QuerySet[ActorPage]:
        """The base set with every active filter applied, except facet ``exclude``."""
        qs = matching(self.base, self.text_query.understood)
        if self.verified_only:
            qs = qs.filter(verified=True)
        for facet in FACETS:
            values = self.selected[facet.key]
            if values and facet.key != exclude:
                qs = self._apply_facet(qs, facet, values)
        return qs

    def queryset(self) -> QuerySet[ActorPage]:
        """The filtered actors in the requested order."""
        actors = self.filtered()
        if self.sort == RELEVANCE:
            actors = actors.annotate(relevance=relevance(self.text_query.understood))
        return actors.order_by(*SORTS[self.sort][1])

    # -- facet counts --------------------------------------------------------------

    def _counts(self, facet: Facet) -> dict[str, int]:
        qs = self.filtered(exclude=facet.key)
        if facet.kind == "m2m":
            through, source, target = m2m_names(facet)
            rows = (
                through.objects.filter(**{f"{source}_id__in": qs.values("pk")})
                .values_list(f"{target}__slug")
                .annotate(n=Count("pk"))
                .order_by()
            )
        else:
            column = "country" if facet.kind == "country" else f"{facet.field}__slug"
            rows = qs.values_list(column).annotate(n=Count("pk")).order_by()
        return {value: n for value, n in rows if value}

    def facets(self, counts: Mapping[str, Mapping[str, int]] | None = None) -> list[FacetResult]:
        """Every facet with the options that have actors (or are selected).

        ``counts`` (``{facet key: {value: count}}``, as the search cluster computes them
        with the same semantics) replaces the database's counting queries; the options,
        labels, order and URLs are built here either way.
        """
        results = []
        for facet in FACETS:
            if counts is None:
                facet_counts: Mapping[str, int] = self._counts(facet)
            else:
                facet_counts = counts.get(facet.key, {})
            selected = self.selected[facet.key]
            result = FacetResult(facet)
            known = self._known_terms(facet)
            if facet.kind == "country":
                ordered = sorted(known.items(), key=lambda item: str(item[1]))
                entries = [(code, str(name), 0) for code, name in ordered]
            else:
                entries = [
                    (slug, term.label, 1 if getattr(term, "parent_id", None) else 0)
                    for slug, term in in_tree_order(known)
                ]
            for value, label, depth in entries:
                count = facet_counts.get(value, 0)
                if count or value in selected:
                    result.options.append(self._option(facet, value, label, count, depth))
            results.append(result)
        return results

    def _extra_state(self) -> list[tuple[str, str]]:
        return [("verified", "1")] if self.verified_only else []

    def country_counts(self) -> dict[str, int]:
        """Actors per country for the whole filtered set (the choropleth)."""
        rows = self.filtered().values_list("country").annotate(n=Count("pk")).order_by()
        return {code: n for code, n in rows if code}


def m2m_names(facet: Facet, model: type = ActorPage) -> tuple[type, str, str]:
    """(through model, ``model``'s field name, term field name) of an M2M facet."""
    m2m = model._meta.get_field(facet.field)
    return m2m.remote_field.through, m2m.m2m_field_name(), m2m.m2m_reverse_field_name()


def in_tree_order(known: dict[str, object]) -> list[tuple[str, object]]:
    """Terms in display order, each sub-stage right after its parent."""
    items = list(known.items())
    children: dict[object, list[tuple[str, object]]] = {}
    roots = []
    for slug, term in items:
        parent_id = getattr(term, "parent_id", None)
        if parent_id:
            children.setdefault(parent_id, []).append((slug, term))
        else:
            roots.append((slug, term))
    ordered = []
    for slug, term in roots:
        ordered.append((slug, term))
        ordered.extend(children.pop(term.pk, []))
    for orphans in children.values():
        ordered.extend(orphans)
    return ordered
