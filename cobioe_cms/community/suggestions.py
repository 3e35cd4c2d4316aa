"""Suggested partners, explained: the published actors whose profile complements an
opportunity, or an organisation ("who could work with us"), best first, each with one
line that says why.

What a suggestion is made of
----------------------------
A :class:`Need` describes what the opportunity or the organisation looks for:

- *providers*: actors who could do what is asked. An opportunity's **request** (and the
  organisation's own stages, through :data:`SUPPLIERS_OF`) names the value-chain stages a
  provider should hold; its kind adds the stages and services it implies
  (:data:`KIND_STAGES`, :data:`KIND_SERVICES`), its stages and modalities the services
  that deliver them (:data:`STAGE_SERVICES`, :data:`MODALITY_SERVICES`).
- *clients*: actors who would need what is offered. An **offer** at a stage interests the
  actors at the stages that need it (the inverse of :data:`SUPPLIERS_OF`), and those
  whose "partners sought" text names what is offered; an actor offering the same thing
  is a competitor more than a client.
- Research partnerships and consortia look for peers: both sides at research.

Score (a weighted sum; the weights are :data:`WEIGHTS`)
-------------------------------------------------------
=========================  =========================================================
stage sought               +3 per sub-stage held (fill & finish), +1.5 per main stage
                           (production), at most 2 of each
stage implied by the kind  +1 (a request for manufacturing capacity: production)
service                    +2 per service that delivers what is sought, at most 2
client stage               +2 per stage that needs what is offered, at most 2
partners sought            +3 if the actor's "partners sought" names what is offered
modality                   +4 for the first shared, +1 for each other; -4 for none
                           when the opportunity names modalities
therapeutic area           +1 per shared area, at most 2
scale                      +2 if the actor reaches the largest scale asked, -1 if its
                           scales stop below it (providers only: an offer's scales
                           are what it offers)
GMP                        +2 if the actor's GMP status reaches the one asked, -2 if it
                           is below, -1 if unknown (providers only)
country                    +2 in a country sought, -4 elsewhere (no country sought: 0)
organisation type          +1 for the type that usually answers (a CDMO for capacity)
competitor                 -3 for an actor that holds the sub-stage offered (clients
                           only)
=========================  =========================================================

A suggestion needs at least :data:`MIN_SCORE` (more than a shared modality alone). Ties
are broken by title, then id, so the same data always gives the same list.

How it stays fast
-----------------
The database does the coarse part: the candidates are the published actors that share at
least one modality or one relevant stage (the many-to-many tables' rows), with counts of
what they share annotated as a coarse score; only the best :data:`CANDIDATES` of them are
loaded, with their terms, and scored in Python. ``tests/perf/bench_suggestions.py``
measures it at 10,000 actors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, FloatField
from django.db.models import Value as V
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django_countries.fields import Country
from wagtail.models import Page

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.models import Service, ValueChainStage

from .models import OpportunityPage

# How many actors the database hands to the fine scoring (the best by the coarse score).
CANDIDATES = 150
OPPORTUNITY_LIMIT = 5
# A suggestion needs more than one weak signal: a shared modality alone (4) is not enough.
MIN_SCORE = 4.5
ORGANISATION_LIMIT = 10

WEIGHTS = {
    "sub_stage": 3.0,
    "main_stage": 1.5,
    "kind_stage": 1.0,
    "service": 2.0,
    "client_stage": 2.0,
    "partners_sought": 3.0,
    "first_modality": 4.0,
    "more_modality": 1.0,
    "no_modality": -4.0,
    "area": 1.0,
    "scale": 2.0,
    "scale_below": -1.0,
    "gmp": 2.0,
    "gmp_below": -2.0,
    "gmp_unknown": -1.0,
    "country": 2.0,
    "country_elsewhere": -4.0,
    "organisation_type": 1.0,
    "competitor": -3.0,
}

# Value-chain complementarity: an actor at the key stage needs partners at these stages.
SUPPLIERS_OF: dict[str, tuple[str, ...]] = {
    "research-development": (
        "process-development", "scale-up", "technology-transfer", "production",
        "clinical-manufacturing", "fill-finish", "quality-control", "regulatory-affairs",
    ),
    "process-development": (
        "production", "clinical-manufacturing", "commercial-manufacturing", "drug-substance",
        "quality-control",
    ),
    "scale-up": ("clinical-manufacturing", "commercial-manufacturing"),
    "technology-transfer": ("clinical-manufacturing", "commercial-manufacturing"),
    "production": ("quality-control", "training", "process-development"),
    "clinical-manufacturing": (
        "fill-finish", "quality-control", "commercial-manufacturing", "regulatory-affairs",
    ),
    "commercial-manufacturing": (
        "fill-finish", "quality-control", "training", "regulatory-affairs",
    ),
    "drug-substance": ("drug-product", "fill-finish", "quality-control"),
    "drug-product": ("drug-substance", "quality-control"),
    "fill-finish": ("quality-control",),
    "quality-control": ("training",),
    "patient-access": ("health-systems-sustainability",),
    "health-systems-sustainability": ("patient-access",),
}  # fmt: skip

# Who needs a stage: the inverse of SUPPLIERS_OF.
CLIENTS_OF: dict[str, tuple[str, ...]] = {
    stage: tuple(sorted(k for k, suppliers in SUPPLIERS_OF.items() if stage in suppliers))
    for stage in {s for suppliers in SUPPLIERS_OF.values() for s in suppliers}
}

Kind = OpportunityPage.Kind
# The stages and services a kind of opportunity implies on the provider's side.
KIND_STAGES: dict[str, tuple[str, ...]] = {
    Kind.CAPACITY: ("production",),
    Kind.SERVICE: ("process-development", "quality-control", "production"),
    Kind.RESEARCH: ("research-development",),
    Kind.TRANSFER: ("technology-transfer",),
    Kind.TRAINING: ("training",),
    Kind.EQUIPMENT: (),
    Kind.CONSORTIUM: ("research-development",),
}
KIND_SERVICES: dict[str, tuple[str, ...]] = {
    Kind.CAPACITY: ("contract-manufacturing",),
    Kind.SERVICE: ("contract-manufacturing", "process-development", "analytical-development"),
    Kind.TRANSFER: ("technology-transfer-support",),
    Kind.TRAINING: ("gmp-training",),
}
STAGE_SERVICES: dict[str, tuple[str, ...]] = {
    "fill-finish": ("fill-finish-services",),
    "drug-product": ("formulation", "fill-finish-services"),
    "drug-substance": ("contract-manufacturing", "cell-banking"),
    "clinical-manufacturing": ("clinical-trial-supply", "contract-manufacturing"),
    "commercial-manufacturing": ("contract-manufacturing",),
    "process-development": ("process-development", "formulation"),
    "scale-up": ("process-development",),
    "technology-transfer": ("technology-transfer-support",),
    "quality-control": (
        "qc-release-testing", "analytical-development", "biosafety-testing", "stability-studies",
    ),
    "regulatory-affairs": ("regulatory-consulting",),
    "training": ("gmp-training",),
}  # fmt: skip
# Production of these modalities is a service of its own.
MODALITY_SERVICES: dict[str, tuple[str, ...]] = {
    "gene-therapies-viral-vectors": ("viral-vector-production",),
    "plasmid-dna": ("plasmid-production",),
    "cell-therapies": ("cell-banking",),
}
PRODUCING_KINDS = {Kind.CAPACITY, Kind.SERVICE}
PEER_KINDS = {Kind.RESEARCH, Kind.CONSORTIUM}
# The organisation types that usually answer a request (providers) or an offer (clients).
PROVIDER_TYPES: dict[str, tuple[str, ...]] = {
    Kind.CAPACITY: ("cdmo",),
    Kind.SERVICE: ("cdmo", "cro"),
    Kind.RESEARCH: ("academic-lab", "hospital", "company"),
    Kind.TRANSFER: ("academic-lab", "company"),
    Kind.TRAINING: ("training-centre",),
    Kind.EQUIPMENT: ("supplier",),
    Kind.CONSORTIUM: ("academic-lab", "company", "cluster"),
}
CLIENT_TYPES = ("company", "large-pharma", "academic-lab", "hospital")
SCALE_RANK = {"lab": 1, "pilot": 2, "clinical": 3, "commercial": 4}
GMP_RANK = {"non-gmp": 0, "gmp-like": 1, "gmp-certified": 2}


@dataclass
class Need:
    """What an opportunity or an organisation looks for in a partner (term slugs and
    ids; see the module's docstring)."""

    exclude_id: int | None
    kind: str = ""
    # Providers: the stages sought (slug -> is it a sub-stage), implied by the kind,
    # the services that deliver them, the organisation types that usually answer.
    sought_stages: dict[str, bool] = field(default_factory=dict)
    kind_stages: set[str] = field(default_factory=set)
    services: set[str] = field(default_factory=set)
    provider_types: set[str] = field(default_factory=set)
    # Clients: the stages that need what is offered, the phrases their "partners sought"
    # would use for it, the sub-stages a competitor holds.
    client_stages: set[str] = field(default_factory=set)
    offered_phrases: list[str] = field(default_factory=list)
    offered_sub_stages: set[str] = field(default_factory=set)
    client_types: set[str] = field(default_factory=set)
    # Shared topics and capacities.
    modalities: set[int] = field(default_factory=set)
    areas: set[int] = field(default_factory=set)
    scale_rank: int = 0
    gmp_rank: int = 0
    countries: set[str] = field(default_factory=set)
    modalities_required: bool = False
    # The stages and services an organisation's own "partners sought" text names.
    named: set[str] = field(default_factory=set)

    @property
    def seeks_providers(self) -> bool:
        return bool(self.sought_stages or self.kind_stages)


@dataclass
class Suggestion:
    """One actor suggested, its score and the facts that made it (:func:`explain`
    turns them into the line shown)."""

    actor: ActorPage
    score: float
    facts: dict = field(default_factory=dict)
    explanation: str = ""


# -- needs -------------------------------------------------------------------------------


def _add_provider_stages(need: Need, stages: Iterable[ValueChainStage]) -> None:
    for stage in stages:
        need.sought_stages[stage.slug] = stage.parent_id is not None
        need.services.update(STAGE_SERVICES.get(stage.slug, ()))


def _phrases(term) -> list[str]:
    """What a text may call ``term``: its labels and keywords, and each half of a label
    such as "Production / manufacturing"."""
    phrases = term.match_phrases()
    return phrases + [half for p in phrases if " / " in p for half in p.split(" / ")]


def _add_offered(need: Need, stages: Iterable[ValueChainStage], services=()) -> None:
    for stage in stages:
        need.client_stages.update(CLIENTS_OF.get(stage.slug, ()))
        need.offered_phrases += _phrases(stage)
        if stage.parent_id is not None:
            need.offered_sub_stages.add(stage.slug)
    for service in services:
        need.offered_phrases += _phrases(service)


def need_of_opportunity(opportunity: OpportunityPage) -> Need:
    kind = opportunity.kind
    stages = list(opportunity.stages.all())
    modalities = list(opportunity.modalities.all())
    scales = [SCALE_RANK.get(s.slug, 0) for s in opportunity.scales.all()]
    need = Need(
        exclude_id=opportunity.organisation_id,
        kind=kind,
        modalities={m.pk for m in modalities},
        areas={a.pk for a in opportunity.therapeutic_areas.all()},
        scale_rank=max(scales, default=0),
        gmp_rank=GMP_RANK.get(opportunity.gmp_status.slug, 0) if opportunity.gmp_status else 0,
        countries={str(code) for code in opportunity.countries},
        modalities_required=bool(modalities),
    )
    request = opportunity.direction == OpportunityPage.Direction.REQUEST
    if request or kind in PEER_KINDS:
        _add_provider_stages(need, stages)
        need.kind_stages = set(KIND_STAGES.get(kind, ())) - set(need.sought_stages)
        need.services.update(KIND_SERVICES.get(kind, ()))
        if kind in PRODUCING_KINDS:
            for modality in modalities:
                need.services.update(MODALITY_SERVICES.get(modality.slug, ()))
        need.provider_types = set(PROVIDER_TYPES.get(kind, ()))
    if not request:
        _add_offered(need, stages)
        if kind in PEER_KINDS:
            need.kind_stages |= set(KIND_STAGES[kind])
        else:
            need.client_types = set(CLIENT_TYPES)
        if not stages:
            need.client_stages.update(
                slug for s in KIND_STAGES.get(kind, ()) for slug in CLIENTS_OF.get(s, ())
            )
    return need


def need_of_organisation(actor: ActorPage) -> Need:
    """Partners for an organisation: the actors it would need (suppliers of its
    stages), the actors that would need it, on its modalities and areas."""
    stages = list(actor.stages.all())
    slugs = {s.slug for s in stages}
    by_slug = {s.slug: s for s in ValueChainStage.objects.all()}
    wanted = {slug for s in slugs for slug in SUPPLIERS_OF.get(s, ())} - slugs
    need = Need(
        exclude_id=actor.pk,
        modalities={m.pk for m in actor.modalities.all()},
        areas={a.pk for a in actor.therapeutic_areas.all()},
    )
    _add_provider_stages(need, [by_slug[slug] for slug in sorted(wanted) if slug in by_slug])
    _add_offered(need, stages, actor.services.all())
    text = actor.partners_sought.lower()
    if text:
        terms = [*by_slug.values(), *Service.objects.all()]
        need.named = {term.slug for term in terms if _names(text, term)}
    return need


# -- coarse: the database ------------------------------------------------------------------


def _through(relation: str):
    m2m = ActorPage._meta.get_field(relation)
    return m2m.remote_field.through, m2m.m2m_field_name(), m2m.m2m_reverse_field_name()


# The relations the fine score reads.
FINE_RELATIONS = ("stages", "modalities", "therapeutic_areas", "services", "scales")
# What a suggestion's link to the profile reads of an actor.
LOADED_FIELDS = ("pk", "title", "url_path", "path", "depth", "country", "organisation_type")


@dataclass
class Candidate:
    """What the fine score reads of an actor: a row and its terms, not a page (making
    150 page instances took longer than scoring them)."""

    pk: int
    title: str
    country: Country
    partners_sought: str
    organisation_type: Term | None
    gmp_status: Term | None
    suggestion_terms: dict[str, list] = field(default_factory=dict)


@dataclass(frozen=True)
class Term:
    slug: str


def _holders(relation: str, lookup: str, values):
    through, source, target = _through(relation)
    return through.objects.filter(**{f"{target}__{lookup}__in": values})


def _shared_rows(relation: str, lookup: str, values, weight: float, among=None) -> tuple[str, list]:
    """SQL of the (actor, weight) rows of the actors holding one of ``values`` (term
    slugs or ids) in ``relation`` (an index range of its many-to-many table), only
    those of ``among`` (a query of actor ids) if given."""
    _through_model, source, _target = _through(relation)
    rows = _holders(relation, lookup, values)
    if among is not None:
        rows = rows.filter(**{f"{source}__in": among})
    rows = rows.values(actor=F(source), weight=V(weight, output_field=FloatField()))
    sql, params = rows.query.sql_with_params()
    return sql, list(params)


def coarse_ranking(need: Need, limit: int = CANDIDATES) -> list[int]:
    """The ids of the best ``limit`` published actors by the coarse score: 2 per relevant
    stage, 3 per shared modality, 2 per relevant service, +2 in a country sought (-4
    elsewhere). One query: the matching rows of the many-to-many tables (an index range
    each), summed per actor before the join to the pages, so that only the actors with
    a row are looked up (a correlated count per actor took ~4 times longer at 10,000
    actors, and joining first made SQLite walk all 10,000).

    When the need names modalities, the candidates are the actors sharing one (the fine
    score takes 4 points from any other: it could not reach the top); otherwise those
    holding a relevant stage. The stages a kind implies (production for capacity) count
    only when the need names no stage: most actors hold them."""
    stages = set(need.sought_stages) | need.client_stages or need.kind_stages
    modalities = sorted(need.modalities)
    among = None
    parts = []
    if modalities:
        among = _holders("modalities", "pk", modalities).values(_through("modalities")[1])
        parts.append(_shared_rows("modalities", "pk", modalities, 3.0))
    if stages:
        parts.append(_shared_rows("stages", "slug", sorted(stages), 2.0, among))
    if not parts:
        return []
    if need.services:
        parts.append(_shared_rows("services", "slug", sorted(need.services), 2.0, among))
    q = connection.ops.quote_name
    actor, page = ActorPage._meta.db_table, Page._meta.db_table
    union = " UNION ALL ".join(
        f"SELECT part{n}.actor, part{n}.weight FROM ({sql}) AS part{n}"  # noqa: S608
        for n, (sql, _params) in enumerate(parts)
    )
    params = [p for _sql, part in parts for p in part]
    country = "0"
    if need.countries:
        listed = ", ".join(["%s"] * len(need.countries))
        country = f"CASE WHEN a.country IN ({listed}) THEN 2 ELSE -4 END"
    # Table names from the models, values as parameters.
    sql = (
        "SELECT a.page_ptr_id FROM "  # noqa: S608
        f"(SELECT actor, SUM(weight) AS total FROM ({union}) AS rows GROUP BY actor) AS hits "
        f"JOIN {q(actor)} AS a ON a.page_ptr_id = hits.actor "
        f"JOIN {q(page)} AS p ON p.id = a.page_ptr_id "
        "WHERE p.live AND a.merged_into_id IS NULL AND a.page_ptr_id <> %s "
        f"ORDER BY hits.total + {country} DESC, a.page_ptr_id LIMIT %s"
    )
    params += [need.exclude_id or 0, *sorted(need.countries), limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def candidates(need: Need, limit: int = CANDIDATES):
    """The published actors sharing a modality or a relevant stage (or service), best
    ``limit`` by the coarse score of the database, with their terms for the fine score."""
    ids = coarse_ranking(need, limit)
    if not ids:
        return []
    rows = (
        ActorPage.objects.public()
        .filter(pk__in=ids)
        .values_list(
            "pk", "title", "country", "partners_sought", "organisation_type__slug",
            "gmp_status__slug",
        )
    )  # fmt: skip
    terms = terms_of(ids)
    return [
        Candidate(
            pk=pk,
            title=title,
            country=Country(code=country),
            partners_sought=partners_sought,
            organisation_type=Term(kind) if kind else None,
            gmp_status=Term(gmp) if gmp else None,
            suggestion_terms=terms[pk],
        )
        for pk, title, country, partners_sought, kind, gmp in rows
    ]


def terms_of(ids: list[int]) -> dict[int, dict[str, list]]:
    """The taxonomy terms of the actors ``ids``, by relation: one query for the links of
    all five relations (their many-to-many rows), one per taxonomy for the terms (small
    tables). Modelcluster's prefetch of parental relations is several times slower."""
    links = None
    for n, relation in enumerate(FINE_RELATIONS):
        through, source, target = _through(relation)
        rows = through.objects.filter(**{f"{source}__in": ids}).values_list(source, V(n), target)
        links = rows if links is None else links.union(rows, all=True)
    by_relation = [
        {term.pk: term for term in ActorPage._meta.get_field(r).related_model.objects.all()}
        for r in FINE_RELATIONS
    ]
    terms: dict[int, dict[str, list]] = {pk: {r: [] for r in FINE_RELATIONS} for pk in ids}
    for actor_id, n, term_id in links:
        terms[actor_id][FINE_RELATIONS[n]].append(by_relation[n][term_id])
    return terms


# -- fine: Python ------------------------------------------------------------------------------


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern | None:
    cleaned = sorted({p.strip().lower() for p in phrases if len(p.strip()) >= 3}, key=len)
    if not cleaned:
        return None
    alternatives = "|".join(re.escape(p) for p in reversed(cleaned))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def score(need: Need, actor: Candidate, offered: re.Pattern | None = None) -> Suggestion:
    """The fine score of one candidate, with the facts it was built from."""
    w = WEIGHTS
    terms = actor.suggestion_terms
    stages = {s.slug: s for s in terms["stages"]}
    services = {s.slug: s for s in terms["services"]}
    modalities = [m for m in terms["modalities"] if m.pk in need.modalities]
    areas = [a for a in terms["therapeutic_areas"] if a.pk in need.areas]
    total = 0.0
    facts: dict = {}

    sub = [stages[s] for s, is_sub in need.sought_stages.items() if is_sub and s in stages]
    main = [stages[s] for s, is_sub in need.sought_stages.items() if not is_sub and s in stages]
    total += w["sub_stage"] * min(len(sub), 2) + w["main_stage"] * min(len(main), 2)
    kind_stages = [stages[s] for s in need.kind_stages if s in stages]
    total += w["kind_stage"] * bool(kind_stages)
    matched_services = [services[s] for s in need.services if s in services]
    total += w["service"] * min(len(matched_services), 2)
    provides = sub or main or matched_services or kind_stages
    if provides:
        facts["provides"] = _sorted_terms(sub) or _sorted_terms(main) or []
        facts["services"] = _sorted_terms(matched_services)
        facts["kind_stages"] = _sorted_terms(kind_stages)
    if actor.organisation_type and actor.organisation_type.slug in need.provider_types:
        total += w["organisation_type"]
    named = [t for t in [*stages.values(), *services.values()] if t.slug in need.named]
    if named:
        # The organisation's own "partners sought" text names what this actor does.
        total += w["partners_sought"]
        facts.setdefault("provides", _sorted_terms(named)[:1])

    clients = [stages[s] for s in need.client_stages if s in stages]
    total += w["client_stage"] * min(len(clients), 2)
    seeks = bool(
        offered and actor.partners_sought and offered.search(actor.partners_sought.lower())
    )
    if seeks:
        total += w["partners_sought"]
        facts["seeks"] = offered.search(actor.partners_sought.lower()).group(0)
    if clients or seeks:
        facts["needs"] = _sorted_terms(clients)
        if actor.organisation_type and actor.organisation_type.slug in need.client_types:
            total += w["organisation_type"]
    if need.offered_sub_stages & set(stages) and not seeks:
        total += w["competitor"]

    if modalities:
        total += w["first_modality"] + w["more_modality"] * (len(modalities) - 1)
    elif need.modalities_required:
        total += w["no_modality"]
    total += w["area"] * min(len(areas), 2)
    facts["modalities"] = _sorted_terms(modalities)
    facts["areas"] = _sorted_terms(areas)

    # The capacities of an offer are what it offers; those of a request (or of a peer
    # sought) are what the partner should have.
    if need.scale_rank and need.seeks_providers:
        ranks = {SCALE_RANK.get(s.slug, 0): s for s in terms["scales"]}
        reached = [r for r in ranks if r >= need.scale_rank]
        if reached:
            total += w["scale"]
            facts["scale"] = ranks[min(reached)]
        elif ranks:
            total += w["scale_below"]
    if need.gmp_rank and need.seeks_providers:
        gmp = actor.gmp_status
        if gmp is None:
            total += w["gmp_unknown"]
        elif GMP_RANK.get(gmp.slug, 0) >= need.gmp_rank:
            total += w["gmp"]
            facts["gmp"] = gmp
        else:
            total += w["gmp_below"]
    if need.countries:
        if str(actor.country) in need.countries:
            total += w["country"]
        else:
            total += w["country_elsewhere"]
    return Suggestion(actor=actor, score=round(total, 3), facts=facts)


def _sorted_terms(terms) -> list:
    """Sub-stages before main stages, then the taxonomy's order (most telling first)."""
    return sorted(terms, key=lambda t: (getattr(t, "parent_id", 1) is None, t.sort_order, t.name))


def rank(need: Need, limit: int) -> list[Suggestion]:
    offered = _phrase_pattern(need.offered_phrases)
    suggestions = [score(need, actor, offered) for actor in candidates(need)]
    suggestions = [s for s in suggestions if s.score >= MIN_SCORE]
    suggestions.sort(key=lambda s: (-s.score, s.actor.title.lower(), s.actor.pk))
    suggestions = suggestions[:limit]
    pages = ActorPage.objects.filter(pk__in=[s.actor.pk for s in suggestions])
    pages = pages.select_related("organisation_type").only(*LOADED_FIELDS).in_bulk()
    for suggestion in suggestions:
        suggestion.explanation = explain(suggestion.facts, suggestion.actor)
        suggestion.actor = pages[suggestion.actor.pk]
    return suggestions


def for_opportunity(
    opportunity: OpportunityPage, limit: int = OPPORTUNITY_LIMIT
) -> list[Suggestion]:
    """The actors that could answer a current opportunity; none for one that is closed,
    expired, unpublished or whose organisation is no longer published."""
    if not opportunity.is_current():
        return []
    return rank(need_of_opportunity(opportunity), limit)


def for_organisation(actor: ActorPage, limit: int = ORGANISATION_LIMIT) -> list[Suggestion]:
    """Who could work with ``actor``: suppliers of what it needs, clients of what it
    does, on its modalities and therapeutic areas."""
    return rank(need_of_organisation(actor), limit)


def _names(text: str, term) -> bool:
    pattern = _phrase_pattern(_phrases(term))
    return bool(pattern and pattern.search(text))


# -- explanations -----------------------------------------------------------------------------


def _label(term) -> str:
    """A term's label inside a sentence: "Fill & finish" -> "fill & finish", but "mRNA",
    "GMP certified" and "CHO cells" keep their capitals."""
    text = term.label if hasattr(term, "label") else str(term)
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _list(terms, limit: int = 2) -> str:
    return get_text_list([_label(t) for t in terms[:limit]], _("and"))


def explain(facts: dict, actor: Candidate | ActorPage) -> str:
    """One line from the matched facts, in the active language, e.g. "offers GMP fill &
    finish for gene therapies & viral vectors at commercial scale in Portugal"."""
    verbs = []
    activity = facts.get("provides") or facts.get("services") or facts.get("kind_stages")
    if activity:
        what = _list(activity)
        if facts.get("gmp") is not None and facts["gmp"].slug == "gmp-certified":
            what = _("GMP %(activity)s") % {"activity": what}
        verbs.append(_("offers %(activity)s") % {"activity": what})
    if facts.get("seeks"):
        verbs.append(_("seeks %(need)s") % {"need": facts["seeks"]})
    if facts.get("needs"):
        verbs.append(_("works in %(stages)s") % {"stages": _list(facts["needs"])})
    modalities, areas = facts.get("modalities"), facts.get("areas")
    topics = {"modalities": _list(modalities or []), "areas": _list(areas or [])}
    if verbs:
        parts = [", ".join(verbs)]
        if modalities and areas:
            parts.append(_("for %(modalities)s in %(areas)s") % topics)
        elif modalities or areas:
            parts.append(_("for %(topics)s") % {"topics": _list(modalities or areas)})
    elif modalities and areas:
        parts = [_("works on %(modalities)s in %(areas)s") % topics]
    elif modalities or areas:
        parts = [_("works on %(topics)s") % {"topics": _list(modalities or areas)}]
    else:
        parts = [_("works on related topics")]
    if facts.get("scale") is not None:
        parts.append(_("at %(scale)s") % {"scale": _label(facts["scale"])})
    if actor.country:
        parts.append(_("in %(country)s") % {"country": actor.country.name})
    return " ".join(parts)


# -- pages -----------------------------------------------------------------------------------


def current_opportunities_of(actor: ActorPage):
    return OpportunityPage.objects.current().public().of_organisation(actor).order_by("title")


__all__ = [
    "CANDIDATES",
    "WEIGHTS",
    "Need",
    "Suggestion",
    "current_opportunities_of",
    "explain",
    "for_opportunity",
    "for_organisation",
    "need_of_opportunity",
    "need_of_organisation",
]
