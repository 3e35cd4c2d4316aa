"""A small, hand-made set of news items whose tags, topics and actors the tests know."""

import datetime

from django.utils import timezone
from wagtail.models import PageViewRestriction

from cobioe_cms.actors.models import CartographyPage
from tests.factories import ActorPageFactory, NewsPageFactory

TRICKY = "Tricky <b>&\"' title"
TRICKY_SUMMARY = "Summary with <b>&\"' characters & more"

# Visible items, newest first.
VISIBLE = ["mab-expansion", "vaccine-call", "training-week", "tricky-title"]


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def build_news(index):
    cartography = CartographyPage.objects.get()
    actors = {
        "lyon": ActorPageFactory(parent=cartography, title="Lyon Biologics", country="FR"),
        "munich": ActorPageFactory(parent=cartography, title="Munich mAb", country="DE"),
        "draft": ActorPageFactory(parent=cartography, title="Draft Actor", live=False),
    }
    make = NewsPageFactory
    news = {
        "mab": make(
            parent=index,
            title="mAb expansion",
            slug="mab-expansion",
            date=days_ago(1),
            tags=["funding", "GMP"],
            stages=["fill-finish"],
            modalities=["monoclonal-antibodies"],
            countries=["FR"],
            related_actors=[actors["lyon"], actors["draft"]],
        ),
        "vaccine": make(
            parent=index,
            title="Vaccine call",
            slug="vaccine-call",
            date=days_ago(2),
            tags=["funding"],
            modalities=["vaccines"],
            therapeutic_areas=["infectious-diseases"],
            countries=["DE", "FR"],
        ),
        "training": make(
            parent=index,
            title="Training week",
            slug="training-week",
            date=days_ago(3),
            tags=["event"],
            stages=["training"],
            countries=["PT"],
            related_actors=[actors["lyon"], actors["munich"]],
        ),
        "tricky": make(
            parent=index,
            title=TRICKY,
            slug="tricky-title",
            summary=TRICKY_SUMMARY,
            date=days_ago(4),
            tags=["funding"],
        ),
        "draft": make(
            parent=index,
            title="Secret draft news",
            slug="secret-draft",
            date=days_ago(0),
            tags=["funding"],
            stages=["production"],
            countries=["FR"],
            related_actors=[actors["lyon"]],
            live=False,
        ),
        "private": make(
            parent=index,
            title="Hidden news",
            slug="hidden-news",
            date=days_ago(0),
            tags=["funding"],
            stages=["production"],
            countries=["FR"],
            related_actors=[actors["lyon"]],
        ),
    }
    PageViewRestriction.objects.create(
        page=news["private"], restriction_type="password", password="x"
    )
    return actors, news
