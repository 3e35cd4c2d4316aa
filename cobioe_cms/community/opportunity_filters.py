"""The opportunities board's query builder: one place that turns URL parameters into a
queryset of opportunities, facet counts and messages about ignored input.

The board page, its RSS and Atom feeds and its CSV and JSON exports all go through
:class:`OpportunityFilter` (the pattern of the cartography's
:class:`cobioe_cms.actors.filters.ActorFilter`), so that they always list the same
opportunities in the same order. Filters are ANDed across facets and ORed within one
facet; the counts of a facet reflect every *other* active filter, so each count says
how many opportunities the list would hold with that value ticked.

Countries: an opportunity that names no country is open to partners **anywhere in
Europe**. It is listed under every country filter (a partner in France looking for
opportunities open to France wants it) and so counted in every country's count; it
also has its own value, ``country=anywhere``, which selects only those. The country
facet shows the countries some opportunity names explicitly (and the selected ones),
each count including the opportunities open anywhere.

The text query is understood as everywhere on the site (:mod:`cobioe_cms.core.analysis`,
with the editors' synonym groups): every concept must be found in the opportunity's
title, description or organisation's name. The board holds at most a few hundred
current opportunities, so they are analysed as they are read (one query), as the
public discussions are in the site search.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import OrderBy
from django.db.models.functions import Length, Substr
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import PageViewRestriction

from cobioe_cms.actors.filters import (
    MAX_QUERY_LENGTH,
    Facet,
    FacetedFilter,
    FacetResult,
    in_tree_order,
    m2m_names,
    shorten,
)
from cobioe_cms.core import vocabulary
from cobioe_cms.core.analysis import UnderstoodQuery, concept_in_tokens, understand
from cobioe_cms.core.models import synonym_groups
from cobioe_cms.core.text import clean_typed

from .models.opportunities import OpportunityPage
from .search_documents import text_tokens

ANYWHERE = "anywhere"


FACETS: tuple[Facet, ...] = (
    Facet("direction", gettext_lazy("Offer or request"), "direction", "choice"),
    Facet("kind", gettext_lazy("Kind"), "kind", "choice"),
    *map(
        Facet.of,
        (
            vocabulary.STAGES,
            vocabulary.MODALITIES,
            vocabulary.THERAPEUTIC_AREAS,
            vocabulary.SCALES,
            vocabulary.GMP_STATUS,
        ),
    ),
    Facet("country", gettext_lazy("Country sought"), "countries", "country"),
)
FACETS_BY_KEY = {facet.key: facet for facet in FACETS}

RELEVANCE = "relevance"
DEFAULT_SORT = "newest"
# Every order ends with the primary key, so pages never overlap.
SORTS: dict[str, tuple[Promise, tuple[str | OrderBy, ...]]] = {
    # Only with a text query, and then the default: concepts found in the title first.
    RELEVANCE: (
        gettext_lazy("Best match"),
        ("-relevance", F("first_published_at").desc(nulls_last=True), "-pk"),
    ),
    "newest": (
        gettext_lazy("Newest first"),
        (F("first_published_at").desc(nulls_last=True), "-pk"),
    ),
    "expiring": (gettext_lazy("Expiring soonest"), ("expires_on", "title", "pk")),
    "title": (gettext_lazy("Title"), ("title", "pk")),
}


def country_condition(codes: list[str]) -> Q:
    """Opportunities seeking any of ``codes`` (European country codes, or
    :data:`ANYWHERE`); those naming no country are open to every one."""
    condition = Q(countries="")
    for code in codes:
        if code != ANYWHERE:
            # CountryField(multiple=True) stores "DE,FR": every two letters without a
            # comma are one whole code, so a substring test finds whole codes only.
            condition |= Q(countries__contains=code)
    return condition


def without_view_restrictions(opportunities: QuerySet[OpportunityPage]) -> QuerySet:
    """``opportunities`` without those under a view restriction (on the page or an
    ancestor: its path begins the page's), as ``PageQuerySet.public()`` but inside the
    same query, where ``public()`` reads every restriction first."""
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return opportunities.exclude(Exists(restricted))


def opportunity_tokens(title: str, description: str, organisation: str) -> tuple[str, str]:
    """(title, whole text) token strings of an opportunity (:func:`text_tokens` is
    cached per process: the texts are read again unchanged at each search)."""
    title_tokens = text_tokens(title)
    found: dict[str, None] = {}
    for text in (title, description, organisation):
        found.update(dict.fromkeys(text_tokens(text or "").split()))
    return title_tokens, f" {' '.join(found)} " if found else ""


def text_ranks(opportunities: QuerySet[OpportunityPage], query: UnderstoodQuery) -> dict[int, int]:
    """pk -> number of the query's concepts in the title, for the opportunities whose
    text holds every concept of ``query`` (one query)."""
    if not query:
        return {}
    ranks = {}
    rows = opportunities.order_by().values_list("pk", "title", "description", "organisation__title")
    for pk, title, description, organisation in rows:
        title_tokens, text = opportunity_tokens(title, description, organisation or "")
        if all(concept_in_tokens(concept, text) for concept in query.concepts):
            ranks[pk] = sum(concept_in_tokens(concept, title_tokens) for concept in query.concepts)
    return ranks


class OpportunityFilter(FacetedFilter):
    """Parses a query string against the choices and taxonomies and builds querysets.

    ``base`` is the set of opportunities the board may show (its current children,
    :meth:`OpportunityBoardPage.opportunities`). Invalid input never raises: it is
    dropped and explained in :attr:`messages`.
    """

    facet_set = FACETS

    def __init__(self, params, base: QuerySet[OpportunityPage]):
        self.base = base
        self._parse_facets(params)
        self.query, self.understood = self._parse_query(params.get("q", ""))
        self.sort = self._parse_sort(params.get("sort", ""))

    # -- parsing -----------------------------------------------------------------

    def _load_terms(self, facet: Facet) -> dict[str, object]:
        """value -> label (or taxonomy term): the choices, "anywhere" and the countries,
        or the terms."""
        if facet.kind == "choice":
            return dict(OpportunityPage._meta.get_field(facet.field).choices)
        if facet.kind == "country":
            return {ANYWHERE: _("Anywhere in Europe"), **super()._load_terms(facet)}
        return super()._load_terms(facet)

    def _normalised(self, facet: Facet, value: str) -> str:
        if facet.kind == "country" and value.lower() != ANYWHERE:
            return value.upper()
        return value.lower()

    def _parse_query(self, raw: str) -> tuple[str, UnderstoodQuery]:
        """The text typed (made safe) and its concepts, with the editors' synonyms (read
        only when something was typed)."""
        query, shortened = clean_typed(raw, MAX_QUERY_LENGTH)
        if shortened:
            self.messages.append(
                _("The search text was shortened to its first %(n)d characters.")
                % {"n": MAX_QUERY_LENGTH}
            )
        understood = understand(query, synonym_groups()) if query else understand("")
        if query and not understood:
            self.messages.append(
                _("The search text has no word to look for (only punctuation or “and”, “of”…).")
            )
        return query, understood

    @property
    def default_sort(self) -> str:
        return RELEVANCE if self.understood else DEFAULT_SORT

    def sort_choices(self) -> list[tuple[str, Promise]]:
        """The orders the board offers ("Best match" only for a text query)."""
        return [
            (key, label)
            for key, (label, _order) in SORTS.items()
            if key != RELEVANCE or self.understood
        ]

    def _parse_sort(self, raw: str) -> str:
        raw = raw.strip()
        if raw and raw not in SORTS:
            self.messages.append(
                _("Unknown sort order “%(value)s”; sorted by the default order.")
                % {"value": shorten(raw)}
            )
            return self.default_sort
        if raw == RELEVANCE and not self.understood:
            return DEFAULT_SORT  # nothing to rank by: a link kept after clearing the text
        return raw or self.default_sort

    # -- querysets -----------------------------------------------------------------

    @property
    def is_filtered(self) -> bool:
        return bool(self.understood or any(self.selected.values()))

    @cached_property
    def ranks(self) -> dict[int, int]:
        """pk -> rank of the opportunities matching the text query (read once)."""
        return text_ranks(self.base, self.understood)

    def _apply_facet(self, qs: QuerySet, facet: Facet, values: list[str]) -> QuerySet:
        if facet.kind == "choice":
            return qs.filter(**{f"{facet.field}__in": values})
        if facet.kind == "country":
            return qs.filter(country_condition(values))
        if facet.kind == "fk":
            return qs.filter(**{f"{facet.field}__slug__in": values})
        through, source, target = m2m_names(facet, OpportunityPage)
        matching = through.objects.filter(**{f"{target}__slug__in": values})
        return qs.filter(pk__in=matching.values(f"{source}_id"))

    def filtered(self, exclude: str | None = None) -> QuerySet[OpportunityPage]:
        """The base set with every active filter applied, except facet ``exclude``."""
        qs = self.base
        if self.understood:
            qs = qs.filter(pk__in=list(self.ranks))
        for facet in FACETS:
            values = self.selected[facet.key]
            if values and facet.key != exclude:
                qs = self._apply_facet(qs, facet, values)
        return qs

    def queryset(self) -> QuerySet[OpportunityPage]:
        """The filtered opportunities in the requested order."""
        opportunities = self.filtered()
        if self.sort == RELEVANCE:
            by_rank: dict[int, list[int]] = {}
            for pk, rank in self.ranks.items():
                by_rank.setdefault(rank, []).append(pk)
            relevance = Case(
                *(When(pk__in=pks, then=Value(rank)) for rank, pks in by_rank.items()),
                default=Value(0),
                output_field=IntegerField(),
            )
            opportunities = opportunities.annotate(relevance=relevance)
        return opportunities.order_by(*SORTS[self.sort][1])

    # -- facet counts --------------------------------------------------------------

    def _counts(self, facet: Facet) -> dict[str, int]:
        qs = self.filtered(exclude=facet.key)
        if facet.kind == "country":
            explicit: Counter[str] = Counter()
            anywhere = 0
            for codes in qs.order_by().values_list("countries", flat=True):
                if codes:
                    explicit.update(set(codes.split(",")))
                else:
                    anywhere += 1
            counts = {code: n + anywhere for code, n in explicit.items()}
            counts[ANYWHERE] = anywhere
            return counts
        if facet.kind == "m2m":
            through, source, target = m2m_names(facet, OpportunityPage)
            rows = (
                through.objects.filter(**{f"{source}_id__in": qs.values("pk")})
                .values_list(f"{target}__slug")
                .annotate(n=Count("pk"))
                .order_by()
            )
        else:
            column = facet.field if facet.kind == "choice" else f"{facet.field}__slug"
            rows = qs.values_list(column).annotate(n=Count("pk")).order_by()
        return {value: n for value, n in rows if value}

    def count_for(self, facet_key: str, value: str) -> int:
        """How many opportunities a filter on ``value`` of ``facet_key`` adds to the
        other active filters (what the facet shows, also for values it hides: a
        country no opportunity names still has the ones open anywhere)."""
        facet = FACETS_BY_KEY[facet_key]
        counts = self._counts(facet)
        if facet.kind == "country" and value != ANYWHERE:
            return counts.get(value, counts[ANYWHERE])
        return counts.get(value, 0)

    def facets(self) -> list[FacetResult]:
        """Every facet with the options that have opportunities (or are selected)."""
        results = []
        for facet in FACETS:
            counts = self._counts(facet)
            selected = self.selected[facet.key]
            known = self._known_terms(facet)
            if facet.kind == "choice":
                entries = [(value, str(label), 0) for value, label in known.items()]
            elif facet.kind == "country":
                named = sorted(
                    ((code, str(name)) for code, name in known.items() if code != ANYWHERE),
                    key=lambda item: item[1],
                )
                entries = [(ANYWHERE, str(known[ANYWHERE]), 0)]
                entries += [(code, name, 0) for code, name in named]
            else:
                entries = [
                    (slug, term.label, 1 if getattr(term, "parent_id", None) else 0)
                    for slug, term in in_tree_order(known)
                ]
            result = FacetResult(facet)
            anywhere = counts.get(ANYWHERE, 0) if facet.kind == "country" else 0
            for value, label, depth in entries:
                if facet.kind == "country" and value != ANYWHERE:
                    # A country no opportunity names is not offered (every country would
                    # be, with the "anywhere" ones), unless it is selected.
                    shown = value in counts or value in selected
                    count = counts.get(value, anywhere)
                else:
                    count = counts.get(value, 0)
                    shown = bool(count) or value in selected
                if shown:
                    result.options.append(self._option(facet, value, label, count, depth))
            results.append(result)
        return results
