"""Builders of the opportunities board's tests: a published board and published
opportunities (each with a revision, as an editor's approval leaves them)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Site

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.community.models import OpportunityBoardPage, OpportunityPage
from cobioe_cms.core import models as taxonomy
from tests.factories import ActorPageFactory

SENTINEL = "zephyrine"
HIDDEN_TITLES = {"Closed suites", "Expired suites", "Draft suites", "Ghost suites", "Merged suites"}
TERMS = {
    "stages": taxonomy.ValueChainStage,
    "modalities": taxonomy.Modality,
    "therapeutic_areas": taxonomy.TherapeuticArea,
    "scales": taxonomy.Scale,
}


def make_board() -> OpportunityBoardPage:
    root = Site.objects.get(is_default_site=True).root_page
    board = OpportunityBoardPage(title="Opportunities", slug="opportunities", per_page=20)
    root.add_child(instance=board)
    board.save_revision().publish()
    return board


def make_opportunity(board, organisation, title: str, **kwargs) -> OpportunityPage:
    """``make_opportunity(board, actor, "GMP suites", direction="offer", kind="capacity",
    stages=["fill-finish"], gmp="gmp-certified", countries=["PT"])``: published and open
    unless ``live=False``, ``status="closed"`` or ``expires_on`` in the past;
    ``published_at`` sets its first publication time."""
    terms = {name: kwargs.pop(name, []) for name in TERMS}
    gmp = kwargs.pop("gmp", None)
    live = kwargs.pop("live", True)
    published_at = kwargs.pop("published_at", None)
    opportunity = OpportunityPage(
        title=title,
        slug=kwargs.pop("slug", slugify(title)),
        organisation=organisation,
        live=live,
        kind=kwargs.pop("kind", "capacity"),
        description=kwargs.pop("description", f"{title}: what we offer and seek."),
        gmp_status=taxonomy.GMPStatus.objects.get(slug=gmp) if gmp else None,
        **kwargs,
    )
    for name, slugs in terms.items():
        setattr(opportunity, name, list(TERMS[name].objects.filter(slug__in=slugs)))
    board.add_child(instance=opportunity)
    if live:
        opportunity.save_revision().publish()
    else:
        opportunity.save_revision()
    if published_at is not None:
        OpportunityPage.objects.filter(pk=opportunity.pk).update(first_published_at=published_at)
        opportunity.first_published_at = published_at
    return opportunity


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def today_plus(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def build_world(cartography) -> dict:
    """Four current opportunities and five never listed (see the board's tests)."""
    board = make_board()
    vectalys = ActorPageFactory(parent=cartography, title="Vectalys", country="PT")
    lyon = ActorPageFactory(parent=cartography, title="Lyon Cells", country="FR")
    ghost = ActorPageFactory(parent=cartography, title="Ghost Bio", live=False)
    merged = ActorPageFactory(parent=cartography, title="Merged Bio")
    ActorPage.objects.filter(pk=merged.pk).update(merged_into=vectalys)
    current = {
        "viral": make_opportunity(
            board,
            vectalys,
            "GMP suites for viral vectors",
            direction="offer",
            kind="capacity",
            stages=["fill-finish"],
            modalities=["gene-therapies-viral-vectors"],
            scales=["commercial"],
            gmp="gmp-certified",
            countries=["PT"],
            expires_on=today_plus(30),
            published_at=days_ago(5),
        ),
        "vaccine": make_opportunity(
            board,
            lyon,
            "Vaccine production partner wanted",
            direction="request",
            kind="service",
            stages=["production"],
            modalities=["vaccines"],
            therapeutic_areas=["infectious-diseases"],
            countries=["FR", "DE"],
            expires_on=today_plus(10),
            published_at=days_ago(3),
            description="We need a **CDMO** for viral vaccines. <script>alert(1)</script>",
        ),
        "cells": make_opportunity(
            board,
            lyon,
            "Academic partner for CAR-T research",
            direction="offer",
            kind="research",
            modalities=["cell-therapies"],
            therapeutic_areas=["oncology"],
            expires_on=today_plus(100),
            published_at=days_ago(1),
        ),
        "training": make_opportunity(
            board,
            vectalys,
            "Bioprocess training seats",
            direction="request",
            kind="training",
            stages=["training"],
            scales=["lab"],
            gmp="non-gmp",
            countries=["DE"],
            expires_on=today_plus(60),
            published_at=days_ago(2),
        ),
    }
    hidden_terms = {
        "stages": ["fill-finish"],
        "modalities": ["gene-therapies-viral-vectors"],
        "direction": "offer",
        "kind": "capacity",
        "description": f"Viral vectors {SENTINEL}.",
        "published_at": days_ago(1.5),
    }
    hidden = [
        make_opportunity(board, vectalys, "Closed suites", status="closed", **hidden_terms),
        make_opportunity(
            board, vectalys, "Expired suites", expires_on=today_plus(-1), **hidden_terms
        ),
        make_opportunity(board, vectalys, "Draft suites", live=False, **hidden_terms),
        make_opportunity(board, ghost, "Ghost suites", **hidden_terms),
        make_opportunity(board, merged, "Merged suites", **hidden_terms),
    ]
    return {
        "board": board,
        "current": current,
        "hidden": hidden,
        "vectalys": vectalys,
        "lyon": lyon,
        "ghost": ghost,
    }
