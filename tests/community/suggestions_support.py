"""Builders of the suggestions' tests: actors with explicit facts and opportunities,
written as published pages without a revision each (hundreds of actors in seconds)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from wagtail.models import Site

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.community.models import OpportunityBoardPage, OpportunityPage
from cobioe_cms.core import models as taxonomy

TERMS = {
    "stages": taxonomy.ValueChainStage,
    "modalities": taxonomy.Modality,
    "therapeutic_areas": taxonomy.TherapeuticArea,
    "services": taxonomy.Service,
    "scales": taxonomy.Scale,
}


def _terms(kwargs: dict, names) -> dict:
    return {
        name: list(TERMS[name].objects.filter(slug__in=kwargs.pop(name, []) or []))
        for name in names
    }


def make_board() -> OpportunityBoardPage:
    root = Site.objects.get(is_default_site=True).root_page
    board = OpportunityBoardPage(title="Opportunities", slug="opportunities")
    root.add_child(instance=board)
    return board


def make_actor(cartography, title: str, **kwargs) -> ActorPage:
    """``make_actor(cartography, "Vectalys", stages=["fill-finish"], gmp="gmp-certified",
    country="PT", type="cdmo")``: a published profile (``live=False`` for a draft)."""
    terms = _terms(kwargs, TERMS)
    gmp = kwargs.pop("gmp", None)
    kind = kwargs.pop("type", "company")
    actor = ActorPage(
        title=title,
        country=kwargs.pop("country", "FR"),
        live=kwargs.pop("live", True),
        organisation_type=taxonomy.OrganisationType.objects.get(slug=kind),
        gmp_status=taxonomy.GMPStatus.objects.get(slug=gmp) if gmp else None,
        **kwargs,
    )
    for name, values in terms.items():
        setattr(actor, name, values)
    cartography.add_child(instance=actor)
    return actor


def make_opportunity(board, organisation, title: str, **kwargs) -> OpportunityPage:
    """A published, open opportunity of ``organisation`` (``status``, ``expires_on`` and
    ``live`` to make it otherwise)."""
    terms = _terms(kwargs, ("stages", "modalities", "therapeutic_areas", "scales"))
    gmp = kwargs.pop("gmp", None)
    opportunity = OpportunityPage(
        title=title,
        organisation=organisation,
        direction=kwargs.pop("direction", OpportunityPage.Direction.REQUEST),
        kind=kwargs.pop("kind", OpportunityPage.Kind.CAPACITY),
        description=kwargs.pop("description", f"{title}."),
        gmp_status=taxonomy.GMPStatus.objects.get(slug=gmp) if gmp else None,
        expires_on=kwargs.pop("expires_on", timezone.localdate() + datetime.timedelta(days=60)),
        live=kwargs.pop("live", True),
        **kwargs,
    )
    for name, values in terms.items():
        setattr(opportunity, name, values)
    board.add_child(instance=opportunity)
    return opportunity
