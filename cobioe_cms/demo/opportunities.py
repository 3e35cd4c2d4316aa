"""Demo collaboration opportunities: the board under the site root, offers and requests
of demo organisations (two of them expire within the reminder period), and a request of
the demo member's organisation. Some posting organisations get the demo coordinator as
their representative, so that "Express interest" and "Contact this organisation" relay
something in the demo (e-mails go to the console). Loaded only where
``cobioe_cms.community`` is installed (the caller checks); idempotent."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.community.models import OpportunityBoardPage, OpportunityPage
from cobioe_cms.core.models import GMPStatus, Modality, Scale, TherapeuticArea, ValueChainStage

# (slug, direction, kind, title, description, stages, modalities, areas, scales, gmp,
#  countries sought, days before expiry, modality the posting organisation works on)
OPPORTUNITIES = (
    ("gmp-fill-finish-viral-vectors", "offer", "capacity",
     "GMP fill & finish capacity for viral vectors",
     "Our aseptic filling line has free slots from next quarter for **AAV and lentiviral "
     "vector** drug products: vials 2R to 10R, up to 5,000 units per batch, with release "
     "testing on site.\n\n- Grade A isolator\n- Lyophilisation available\n- EU GMP certified",
     "fill-finish,drug-product", "gene-therapies-viral-vectors", "rare-diseases",
     "clinical,commercial", "gmp-certified", "", 120, "gene-therapies-viral-vectors"),
    ("cdmo-for-mab-clinical-batches", "request", "service",
     "CDMO sought for monoclonal antibody clinical batches",
     "We are looking for a CDMO able to produce **two GMP batches of a monoclonal antibody** "
     "(2,000 L, CHO) for a phase II trial starting next year. Technology transfer of an "
     "established process.",
     "production,clinical-manufacturing,drug-substance", "monoclonal-antibodies", "oncology",
     "clinical", "gmp-certified", "FR,DE,BE,NL", 150, "monoclonal-antibodies"),
    ("mrna-lnp-process-partnership", "request", "research",
     "R&D partner for mRNA-LNP formulation",
     "Academic team seeks an industrial partner to co-develop a scalable **lipid "
     "nanoparticle formulation** process for an mRNA vaccine candidate (collaborative "
     "project, co-funding possible).",
     "research-development,process-development", "mrna-nucleic-acids", "infectious-diseases",
     "lab,pilot", "", "", 90, "mrna-nucleic-acids"),
    ("cell-therapy-gmp-suites", "offer", "capacity",
     "GMP cell-therapy suites available",
     "Two Grade B clean rooms for autologous and allogeneic **cell therapy** manufacturing, "
     "with QC and QP release. Suitable for phase I/II CAR-T and MSC products.",
     "production,clinical-manufacturing,quality-control", "cell-therapies",
     "oncology,haematology", "clinical", "gmp-certified", "", 10, "cell-therapies"),
    ("qc-potency-assay-service", "offer", "service",
     "Potency assays and QC release testing for biologics",
     "Validated cell-based potency assays, host-cell protein and residual DNA testing for "
     "antibodies and recombinant proteins, under GMP.",
     "quality-control", "monoclonal-antibodies,recombinant-proteins", "",
     "clinical,commercial", "gmp-certified", "", 100, "monoclonal-antibodies"),
    ("tech-transfer-plasmid-dna", "offer", "transfer",
     "Licensing: high-yield plasmid DNA process",
     "We license a fermentation and purification process for **plasmid DNA** (starting "
     "material for mRNA and viral vectors), with technology-transfer support.",
     "technology-transfer,process-development", "plasmid-dna", "", "pilot,commercial", "",
     "", 160, "plasmid-dna"),
    ("operator-training-aseptic", "offer", "training",
     "Aseptic processing training for operators",
     "Hands-on training sessions on a pilot line: gowning, aseptic behaviour, media fills. "
     "Sessions in English and French.",
     "training", "", "", "pilot", "", "FR,BE,CH", 130, ""),
    ("bioreactor-sharing-pilot", "offer", "equipment",
     "Pilot-scale single-use bioreactors to share",
     "200 L and 500 L single-use bioreactors available part-time for process development "
     "runs (mammalian cells).",
     "process-development,scale-up", "recombinant-proteins,monoclonal-antibodies", "", "pilot",
     "non-gmp", "", 75, "recombinant-proteins"),
    ("horizon-consortium-vaccines", "request", "consortium",
     "Partners for a Horizon Europe call on vaccine manufacturing",
     "We are building a consortium on **agile vaccine manufacturing** platforms and seek a "
     "CDMO, a QC laboratory and a training centre.",
     "production,quality-control,training", "vaccines", "infectious-diseases", "", "",
     "", 12, "vaccines"),
    ("adc-conjugation-capacity", "request", "capacity",
     "Conjugation capacity for an antibody-drug conjugate",
     "Looking for GMP **bioconjugation** capacity (high-potency containment) for an ADC "
     "entering phase I.",
     "drug-substance,clinical-manufacturing", "antibody-drug-conjugates", "oncology",
     "clinical", "gmp-certified", "", 140, "antibody-drug-conjugates"),
)  # fmt: skip

MEMBER_OPPORTUNITY = (
    "demo-member-viral-vector-request", "request", "capacity",
    "Viral vector manufacturing capacity sought",
    "We need **AAV** manufacturing capacity (200 L, GMP) for a gene therapy entering "
    "clinical trials, with fill & finish if possible.",
    "production,fill-finish", "gene-therapies-viral-vectors", "rare-diseases", "clinical",
    "gmp-certified", "FR,PT,DE", 45, "",
)  # fmt: skip

# Organisations of these demo opportunities get the demo coordinator as representative.
REPRESENTED = {"gmp-fill-finish-viral-vectors", "cell-therapy-gmp-suites",
               "qc-potency-assay-service", "cdmo-for-mab-clinical-batches"}  # fmt: skip


def _terms(model, slugs: str) -> list:
    return list(model.objects.filter(slug__in=slugs.split(","))) if slugs else []


@transaction.atomic
def ensure_board(parent: Page) -> OpportunityBoardPage:
    board = OpportunityBoardPage.objects.order_by("path").first()
    if board is None:
        board = parent.add_child(
            instance=OpportunityBoardPage(
                title="Opportunities",
                slug="opportunities",
                show_in_menus=True,
                intro="<p>Offers and requests of the sector's organisations: capacity, "
                "services, partnerships, training.</p>",
            )
        )
    return board


def _organisation_for(modality: str, taken: set[int]) -> ActorPage | None:
    """A live demo actor working on ``modality`` (any, without one), not used yet, and
    not the demo member's (the first demo actor)."""
    actors = ActorPage.objects.live().filter(is_demo=True, merged_into__isnull=True)
    first = actors.order_by("path").values_list("pk", flat=True).first()
    actors = actors.exclude(pk__in={*taken, first})
    if modality:
        matching = actors.filter(modalities__slug=modality).order_by("path").first()
        if matching is not None:
            return matching
    return actors.order_by("path").first()


def _create(board, organisation, spec, posted_by=None) -> OpportunityPage:
    (slug, direction, kind, title, description, stages, modalities, areas, scales, gmp,
     countries, days, _modality) = spec  # fmt: skip
    today = timezone.localdate()
    opportunity = OpportunityPage(
        title=title,
        slug=slug,
        organisation=organisation,
        direction=direction,
        kind=kind,
        description=description + "\n\n(Demo data.)",
        gmp_status=GMPStatus.objects.filter(slug=gmp).first() if gmp else None,
        countries=countries.split(",") if countries else [],
        expires_on=today + datetime.timedelta(days=days),
        posted_by=posted_by,
        is_demo=True,
    )
    opportunity.stages = _terms(ValueChainStage, stages)
    opportunity.modalities = _terms(Modality, modalities)
    opportunity.therapeutic_areas = _terms(TherapeuticArea, areas)
    opportunity.scales = _terms(Scale, scales)
    board.add_child(instance=opportunity)
    opportunity.save_revision(user=posted_by).publish()
    return opportunity


@transaction.atomic
def ensure_opportunities(board: OpportunityBoardPage) -> int:
    """The demo opportunities missing from ``board``; returns how many were created."""
    from cobioe_cms.members.models import Representative

    from .community import DEMO_COORDINATOR, _demo_user

    existing = OpportunityPage.objects.child_of(board)
    taken = set(existing.exclude(organisation=None).values_list("organisation_id", flat=True))
    coordinator = _demo_user(*DEMO_COORDINATOR)
    created = 0
    for spec in OPPORTUNITIES:
        if existing.filter(slug=spec[0]).exists():
            continue
        organisation = _organisation_for(spec[-1], taken)
        if organisation is None:
            return created  # no demo actors loaded
        taken.add(organisation.pk)
        if spec[0] in REPRESENTED:
            Representative.objects.get_or_create(user=coordinator, actor=organisation)
        _create(board, organisation, spec)
        created += 1
    return created


def place_member_opportunity(user) -> bool:
    """A request of the demo member's organisation (if the board and that organisation
    exist), so that the member's dashboard lists one of their own."""
    from cobioe_cms.members.models import Representative

    board = OpportunityBoardPage.objects.order_by("path").first()
    representation = Representative.objects.filter(user=user).select_related("actor").first()
    if board is None or representation is None:
        return False
    if OpportunityPage.objects.filter(slug=MEMBER_OPPORTUNITY[0]).exists():
        return True
    with transaction.atomic():
        _create(board, representation.actor, MEMBER_OPPORTUNITY, posted_by=user)
    return True
