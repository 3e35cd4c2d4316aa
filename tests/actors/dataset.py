"""A small, hand-made set of actors whose facets and counts the tests know."""

from wagtail.models import PageViewRestriction

from cobioe_cms.actors.models import CartographyPage
from tests.factories import ActorPageFactory

PUBLISHED = {
    "lyon-biologics",
    "evry-cell-therapies",
    "berlin-vector-lab",
    "munich-mab-manufacturing",
    "lisbon-training-academy",
    "nowhere-bio",
}


def build_actors():
    cartography = CartographyPage.objects.get()
    make = ActorPageFactory
    actors = {
        "lyon": make(
            parent=cartography,
            title="Lyon Biologics",
            organisation_type="cdmo",
            country="FR",
            city="Lyon",
            stages=["fill-finish"],
            modalities=["monoclonal-antibodies"],
            therapeutic_areas=["oncology"],
            scales=["clinical", "commercial"],
            gmp_status="gmp-certified",
            verified=True,
        ),
        "evry": make(
            parent=cartography,
            title="Évry Cell Therapies",
            slug="evry-cell-therapies",
            organisation_type="company",
            country="FR",
            city="Évry",
            stages=["research-development"],
            modalities=["cell-therapies"],
            therapeutic_areas=["oncology", "rare-diseases"],
            keywords=["CAR-T"],
        ),
        "berlin": make(
            parent=cartography,
            title="Berlin Vector Lab",
            organisation_type="academic-lab",
            country="DE",
            city="Berlin",
            stages=["research-development", "process-development"],
            modalities=["gene-therapies-viral-vectors"],
            gmp_status="non-gmp",
        ),
        "munich": make(
            parent=cartography,
            title="Munich mAb Manufacturing",
            organisation_type="cdmo",
            country="DE",
            city="Munich",
            stages=["production"],
            modalities=["monoclonal-antibodies", "biosimilars"],
            scales=["commercial"],
            gmp_status="gmp-certified",
            verified=True,
        ),
        "lisbon": make(
            parent=cartography,
            title="Lisbon Training Academy",
            organisation_type="training-centre",
            country="PT",
            city="Lisbon",
            stages=["training"],
        ),
        "nowhere": make(
            parent=cartography,
            title="Nowhere Bio",
            organisation_type="company",
            country="BE",
            city="Atlantis",
            stages=["quality-control"],
        ),
        "draft": make(
            parent=cartography,
            title="Secret Draft",
            organisation_type="cdmo",
            country="FR",
            stages=["production"],
            live=False,
        ),
        "private": make(
            parent=cartography,
            title="Hidden Actor",
            organisation_type="cdmo",
            country="FR",
            stages=["production"],
        ),
    }
    PageViewRestriction.objects.create(
        page=actors["private"], restriction_type="password", password="x"
    )
    return cartography, actors
