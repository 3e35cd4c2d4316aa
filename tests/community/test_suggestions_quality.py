"""The suggestions' quality on a labelled set: precision@5 of at least 0.8.

32 opportunities (20 requests, 12 offers) on a pool of generated actors with explicit
facts. For each opportunity, five actors a domain expert would list as clearly right
(the ``right`` profile, varied: another country sought, an extra modality or area,
another organisation type, a higher scale, a "partners sought" text), and five that are
not: one that shares only the modality, one only the stage (another modality), one only
the therapeutic area and the country, a near miss (the right profile in a country not
sought, below the GMP status or scale asked, or, for an offer, a competitor offering the
same), and the right profile unpublished (never suggested). All opportunities share one
pool, so each one's actors are also distractors for the others. The precision of each
opportunity is the share of its five first suggestions that are among its five right
actors (missing suggestions count as wrong); the test prints them (``pytest -s``).
"""

from __future__ import annotations

import sys

import pytest

from cobioe_cms.community import suggestions

from .suggestions_support import make_actor, make_board, make_opportunity

pytestmark = pytest.mark.django_db

THRESHOLD = 0.8
# Used by no opportunity: a distractor that shares a stage carries it instead, and a
# right profile carries it as an extra modality (one another opportunity names would
# make that profile right for it too).
OTHER_MODALITY = "blood-plasma-products"
UNRELATED_STAGE = "health-systems-sustainability"

REQ, OFF = "request", "offer"
SPECS = [
    # (name, direction, kind, opportunity facts, right profile, near miss)
    (
        "fill-finish-aav",
        REQ,
        "capacity",
        {
            "stages": ["fill-finish"],
            "modalities": ["gene-therapies-viral-vectors"],
            "therapeutic_areas": ["rare-diseases"],
            "scales": ["commercial"],
            "gmp": "gmp-certified",
            "countries": ["PT", "ES"],
        },
        {
            "stages": ["fill-finish"],
            "scales": ["commercial"],
            "gmp": "gmp-certified",
            "type": "cdmo",
        },
        {"country": "DE"},
    ),
    (
        "mab-drug-substance",
        REQ,
        "capacity",
        {
            "stages": ["drug-substance"],
            "modalities": ["monoclonal-antibodies"],
            "scales": ["commercial"],
            "gmp": "gmp-certified",
        },
        {
            "stages": ["drug-substance"],
            "scales": ["commercial"],
            "gmp": "gmp-certified",
            "type": "cdmo",
        },
        {"gmp": "non-gmp", "scales": ["lab"]},
    ),
    (
        "cell-therapy-clinical",
        REQ,
        "capacity",
        {
            "stages": ["clinical-manufacturing"],
            "modalities": ["cell-therapies"],
            "therapeutic_areas": ["oncology"],
            "scales": ["clinical"],
            "gmp": "gmp-certified",
            "countries": ["FR", "BE"],
        },
        {
            "stages": ["clinical-manufacturing"],
            "scales": ["clinical"],
            "gmp": "gmp-certified",
            "type": "cdmo",
        },
        {"country": "IT"},
    ),
    (
        "mrna-qc",
        REQ,
        "service",
        {"stages": ["quality-control"], "modalities": ["mrna-nucleic-acids"], "gmp": "gmp-like"},
        {
            "stages": ["quality-control"],
            "gmp": "gmp-certified",
            "type": "cro",
            "services": ["qc-release-testing"],
        },
        {"gmp": "non-gmp"},
    ),
    (
        "protein-process-dach",
        REQ,
        "service",
        {
            "stages": ["process-development"],
            "modalities": ["recombinant-proteins"],
            "scales": ["pilot"],
            "countries": ["DE", "AT", "CH"],
        },
        {
            "stages": ["process-development"],
            "scales": ["pilot"],
            "type": "cdmo",
            "services": ["process-development"],
        },
        {"country": "PL"},
    ),
    (
        "plasmid-clinical",
        REQ,
        "capacity",
        {
            "stages": ["clinical-manufacturing"],
            "modalities": ["plasmid-dna"],
            "scales": ["clinical"],
            "gmp": "gmp-certified",
        },
        {
            "stages": ["clinical-manufacturing"],
            "scales": ["clinical", "commercial"],
            "gmp": "gmp-certified",
            "type": "cdmo",
            "services": ["plasmid-production"],
        },
        {"gmp": "gmp-like", "scales": ["lab"]},
    ),
    (
        "vaccine-transfer",
        REQ,
        "transfer",
        {
            "stages": ["technology-transfer"],
            "modalities": ["vaccines"],
            "therapeutic_areas": ["infectious-diseases"],
            "scales": ["commercial"],
        },
        {"stages": ["technology-transfer"], "scales": ["commercial"], "type": "cdmo"},
        {"scales": ["lab"]},
    ),
    (
        "cell-therapy-training-fr",
        REQ,
        "training",
        {"stages": ["training"], "modalities": ["cell-therapies"], "countries": ["FR"]},
        {"stages": ["training"], "type": "training-centre", "services": ["gmp-training"]},
        {"country": "DE"},
    ),
    (
        "biosimilar-regulatory",
        REQ,
        "service",
        {"stages": ["regulatory-affairs"], "modalities": ["biosimilars"]},
        {"stages": ["regulatory-affairs"], "type": "cro", "services": ["regulatory-consulting"]},
        {"stages": ["post-marketing"], "type": "company"},
    ),
    (
        "mab-fill-finish-it",
        REQ,
        "capacity",
        {
            "stages": ["fill-finish"],
            "modalities": ["monoclonal-antibodies"],
            "scales": ["clinical"],
            "gmp": "gmp-certified",
            "countries": ["IT"],
        },
        {
            "stages": ["fill-finish"],
            "scales": ["clinical"],
            "gmp": "gmp-certified",
            "type": "cdmo",
            "country": "IT",
        },
        {"country": "FR"},
    ),
    (
        "microbiome-research",
        REQ,
        "research",
        {
            "stages": ["research-development"],
            "modalities": ["microbiome-live-biotherapeutics"],
            "therapeutic_areas": ["metabolic-diseases-diabetes"],
        },
        {
            "stages": ["research-development"],
            "type": "academic-lab",
            "therapeutic_areas": ["metabolic-diseases-diabetes"],
        },
        {"stages": ["quality-control"], "therapeutic_areas": []},
    ),
    (
        "exosome-consortium",
        REQ,
        "consortium",
        {
            "stages": ["research-development"],
            "modalities": ["exosomes-extracellular-vesicles"],
            "therapeutic_areas": ["regenerative-medicine"],
        },
        {
            "stages": ["research-development"],
            "type": "academic-lab",
            "therapeutic_areas": ["regenerative-medicine"],
        },
        {"stages": ["patient-access"], "therapeutic_areas": []},
    ),
    (
        "peptide-scale-up",
        REQ,
        "service",
        {"stages": ["scale-up"], "modalities": ["peptides"], "scales": ["pilot"]},
        {"stages": ["scale-up"], "scales": ["pilot", "clinical"], "type": "cdmo"},
        {"scales": ["lab"], "stages": ["research-development"]},
    ),
    (
        "vaccine-commercial",
        REQ,
        "capacity",
        {
            "stages": ["commercial-manufacturing"],
            "modalities": ["vaccines"],
            "scales": ["commercial"],
            "gmp": "gmp-certified",
            "countries": ["BE", "NL", "DK"],
        },
        {
            "stages": ["commercial-manufacturing"],
            "scales": ["commercial"],
            "gmp": "gmp-certified",
            "type": "cdmo",
        },
        {"country": "ES"},
    ),
    (
        "cell-therapy-qc",
        REQ,
        "service",
        {
            "stages": ["quality-control"],
            "modalities": ["cell-therapies"],
            "gmp": "gmp-certified",
            "countries": ["NL", "BE", "DE"],
        },
        {
            "stages": ["quality-control"],
            "gmp": "gmp-certified",
            "type": "cro",
            "services": ["biosafety-testing"],
        },
        {"country": "GB"},
    ),
    (
        "adc-drug-product",
        REQ,
        "capacity",
        {
            "stages": ["drug-product"],
            "modalities": ["antibody-drug-conjugates"],
            "scales": ["clinical"],
            "gmp": "gmp-certified",
        },
        {
            "stages": ["drug-product"],
            "scales": ["clinical"],
            "gmp": "gmp-certified",
            "type": "cdmo",
        },
        {"gmp": "non-gmp"},
    ),
    (
        "bispecific-process",
        REQ,
        "service",
        {
            "stages": ["process-development"],
            "modalities": ["bispecifics-fusion-proteins"],
            "therapeutic_areas": ["oncology"],
            "scales": ["pilot"],
        },
        {"stages": ["process-development"], "scales": ["pilot"], "type": "cdmo"},
        {"scales": ["lab"], "stages": ["research-development"]},
    ),
    (
        "enzyme-drug-substance",
        REQ,
        "capacity",
        {
            "stages": ["drug-substance"],
            "modalities": ["enzymes"],
            "scales": ["commercial"],
            "gmp": "gmp-like",
        },
        {"stages": ["drug-substance"], "scales": ["commercial"], "gmp": "gmp-like", "type": "cdmo"},
        {"gmp": "non-gmp", "scales": ["pilot"]},
    ),
    (
        "mrna-transfer-de",
        REQ,
        "transfer",
        {
            "stages": ["technology-transfer"],
            "modalities": ["mrna-nucleic-acids"],
            "countries": ["DE"],
        },
        {"stages": ["technology-transfer"], "type": "company"},
        {"country": "FR"},
    ),
    (
        "aav-research-fr",
        REQ,
        "research",
        {
            "stages": ["research-development"],
            "modalities": ["gene-therapies-viral-vectors"],
            "therapeutic_areas": ["neurology"],
            "countries": ["FR"],
        },
        {
            "stages": ["research-development"],
            "type": "academic-lab",
            "therapeutic_areas": ["neurology"],
        },
        {"country": "SE"},
    ),
    # Offers: the right actors are the ones that need what is offered.
    (
        "offer-fill-finish-aav",
        OFF,
        "capacity",
        {
            "stages": ["fill-finish"],
            "modalities": ["gene-therapies-viral-vectors"],
            "scales": ["commercial"],
            "gmp": "gmp-certified",
        },
        {
            "stages": ["clinical-manufacturing"],
            "type": "company",
            "partners_sought": "A GMP fill & finish partner for our AAV batches.",
        },
        {"stages": ["fill-finish"], "type": "cdmo"},
    ),
    (
        "offer-mab-drug-substance",
        OFF,
        "capacity",
        {
            "stages": ["production", "drug-substance"],
            "modalities": ["monoclonal-antibodies"],
            "scales": ["clinical"],
            "gmp": "gmp-certified",
        },
        {
            "stages": ["process-development"],
            "type": "company",
            "partners_sought": "Looking for drug substance manufacturing for our antibody.",
        },
        {"stages": ["drug-substance"], "type": "cdmo"},
    ),
    (
        "offer-mrna-qc",
        OFF,
        "service",
        {"stages": ["quality-control"], "modalities": ["mrna-nucleic-acids"]},
        {"stages": ["clinical-manufacturing"], "type": "company", "gmp": "gmp-certified"},
        {"stages": ["quality-control"], "type": "cro"},
    ),
    (
        "offer-cell-therapy-process",
        OFF,
        "service",
        {
            "stages": ["process-development"],
            "modalities": ["cell-therapies"],
            "therapeutic_areas": ["haematology"],
        },
        {
            "stages": ["research-development"],
            "type": "hospital",
            "therapeutic_areas": ["haematology"],
        },
        {"stages": ["process-development"], "type": "cdmo"},
    ),
    (
        "offer-microbiome-training",
        OFF,
        "training",
        {"stages": ["training"], "modalities": ["microbiome-live-biotherapeutics"]},
        {"stages": ["drug-substance"], "type": "cdmo"},
        {"stages": ["training"], "type": "training-centre"},
    ),
    (
        "offer-peptide-research",
        OFF,
        "research",
        {
            "stages": ["research-development"],
            "modalities": ["peptides"],
            "therapeutic_areas": ["oncology"],
        },
        {
            "stages": ["research-development"],
            "type": "academic-lab",
            "therapeutic_areas": ["oncology"],
        },
        {"stages": ["commercial-manufacturing"], "therapeutic_areas": []},
    ),
    (
        "offer-protein-equipment",
        OFF,
        "equipment",
        {"stages": ["production"], "modalities": ["recombinant-proteins"], "scales": ["pilot"]},
        {
            "stages": ["process-development"],
            "type": "academic-lab",
            "partners_sought": "Access to a pilot production bioreactor.",
        },
        {"stages": ["production"], "type": "supplier"},
    ),
    (
        "offer-plasmid-clinical",
        OFF,
        "capacity",
        {
            "stages": ["clinical-manufacturing"],
            "modalities": ["plasmid-dna"],
            "scales": ["clinical"],
            "gmp": "gmp-certified",
        },
        {
            "stages": ["research-development"],
            "type": "company",
            "partners_sought": "We need clinical manufacturing of our plasmid.",
        },
        {"stages": ["clinical-manufacturing"], "type": "cdmo"},
    ),
    (
        "offer-biosimilar-regulatory",
        OFF,
        "service",
        {"stages": ["regulatory-affairs"], "modalities": ["biosimilars"]},
        {"stages": ["commercial-manufacturing"], "type": "large-pharma"},
        {"stages": ["regulatory-affairs"], "type": "cro"},
    ),
    (
        "offer-adc-fill-finish",
        OFF,
        "service",
        {
            "stages": ["fill-finish"],
            "modalities": ["antibody-drug-conjugates"],
            "gmp": "gmp-certified",
        },
        {"stages": ["clinical-manufacturing", "drug-substance"], "type": "company"},
        {"stages": ["fill-finish"], "type": "cdmo"},
    ),
    (
        "offer-bispecific-commercial",
        OFF,
        "capacity",
        {
            "stages": ["commercial-manufacturing"],
            "modalities": ["bispecifics-fusion-proteins"],
            "scales": ["commercial"],
            "gmp": "gmp-certified",
        },
        {
            "stages": ["scale-up"],
            "type": "company",
            "partners_sought": "A partner for commercial manufacturing after phase III.",
        },
        {"stages": ["commercial-manufacturing"], "type": "cdmo"},
    ),
    (
        "offer-vaccine-consortium",
        OFF,
        "consortium",
        {
            "stages": ["research-development"],
            "modalities": ["vaccines"],
            "therapeutic_areas": ["infectious-diseases"],
        },
        {
            "stages": ["research-development"],
            "type": "academic-lab",
            "therapeutic_areas": ["infectious-diseases"],
        },
        {"stages": ["post-marketing"], "therapeutic_areas": []},
    ),
]

COUNTRIES = ["FR", "DE", "NL", "IT", "ES"]
# The right profile under another organisation type that answers as well.
OTHER_TYPE = {"cdmo": "company", "cro": "cdmo"}
EXTRA_AREAS = ["dermatology", "respiratory", "ophthalmology", "cardiovascular", "womens-health"]


def _right_profiles(index: int, facts: dict, right: dict) -> list[dict]:
    """Five variations of the right profile."""
    sought = facts.get("countries") or []
    modalities = facts["modalities"]
    base = {"modalities": modalities, **right}
    base.setdefault("country", sought[0] if sought else COUNTRIES[index % len(COUNTRIES)])
    second = sought[1 % len(sought)] if sought else COUNTRIES[(index + 2) % len(COUNTRIES)]
    areas = base.get("therapeutic_areas", [])
    return [
        dict(base),
        dict(base, country=second, therapeutic_areas=[*areas, EXTRA_AREAS[index % 5]]),
        dict(base, modalities=[*modalities, OTHER_MODALITY]),
        dict(base, **({"scales": ["commercial"]} if "scales" in base else {"services": []})),
        dict(base, type=OTHER_TYPE.get(base.get("type"), base.get("type", "company"))),
    ]  # fmt: skip


def _distractors(facts: dict, right: dict, near: dict) -> list[tuple[str, dict]]:
    sought = facts.get("countries") or ["FR"]
    return [
        ("modality only", {"stages": [UNRELATED_STAGE], "modalities": facts["modalities"]}),
        ("stage only", dict(right, modalities=[OTHER_MODALITY], therapeutic_areas=[])),
        (
            "area and country only",
            {"stages": ["patient-access"], "therapeutic_areas": facts.get("therapeutic_areas")
                 or ["oncology"], "country": sought[0]},
        ),
        ("near miss", dict(right, modalities=facts["modalities"], **near)),
    ]  # fmt: skip


def build(cartography):
    board = make_board()
    labelled = []
    for index, (name, direction, kind, facts, right, near) in enumerate(SPECS):
        organisation = make_actor(cartography, f"{name} (poster)", stages=["patient-access"])
        opportunity = make_opportunity(
            board, organisation, name, direction=direction, kind=kind, **facts
        )
        expected = set()
        for n, profile in enumerate(_right_profiles(index, facts, right)):
            expected.add(make_actor(cartography, f"{name} right {n}", **profile).pk)
        for label, profile in _distractors(facts, right, near):
            make_actor(cartography, f"{name} {label}", **profile)
        make_actor(
            cartography,
            f"{name} unpublished",
            live=False,
            **_right_profiles(index, facts, right)[0],
        )
        labelled.append((opportunity, expected))
    return labelled


def precision_report(labelled) -> tuple[float, list[str]]:
    lines = []
    scores = []
    for opportunity, expected in labelled:
        found = suggestions.for_opportunity(opportunity)
        top = found[:5]
        hits = sum(1 for s in top if s.actor.pk in expected)
        precision = hits / 5
        scores.append(precision)
        wrong = [s.actor.title for s in top if s.actor.pk not in expected]
        lines.append(
            f"| {opportunity.title} | {opportunity.direction} | {precision:.1f} | "
            f"{', '.join(wrong) or '—'} |"
        )
    return sum(scores) / len(scores), lines


def test_precision_at_5(cartography, capsys):
    labelled = build(cartography)
    assert len(labelled) >= 30
    precision, lines = precision_report(labelled)
    report = [
        "",
        "| Opportunity | Direction | Precision@5 | Wrong suggestions |",
        "|---|---|---:|---|",
        *lines,
        "",
        f"Mean precision@5 over {len(labelled)} opportunities: {precision:.3f}",
        "",
    ]
    with capsys.disabled():
        sys.stdout.write("\n".join(report))
    assert precision >= THRESHOLD


def test_no_unpublished_or_poster_in_the_labelled_set(cartography):
    labelled = build(cartography)
    for opportunity, _expected in labelled:
        for suggestion in suggestions.for_opportunity(opportunity):
            assert suggestion.actor.live
            assert "unpublished" not in suggestion.actor.title
            assert suggestion.actor.pk != opportunity.organisation_id
