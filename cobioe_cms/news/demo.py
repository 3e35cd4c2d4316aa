"""Demo news: a news section (under the page a site chooses) and deterministic
synthetic items.

Every generated item has ``is_demo`` set and its summary starts with "Demo news", so
nobody mistakes it for a real announcement. Items are created one by one with
``add_child`` (a few dozen is all a demo needs) and published with a revision, so
editors can open and edit them like any other news.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from wagtail.models import Page
from wagtail.rich_text import RichText

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.countries import EUROPE, country_name
from cobioe_cms.core.models import Modality, TherapeuticArea, ValueChainStage

from .models import NewsIndexPage, NewsPage

DEMO_PREFIX = "Demo news (synthetic):"
HEADLINES = (
    "{actor} expands its {modality} capacity",
    "{actor} and partners launch a {stage} programme",
    "New {modality} pilot line opens in {country}",
    "{country} funds {stage} projects in {area}",
    "Consortium workshop on {modality} and {area}",
    "{actor} joins the European bioproduction map",
    "Skills gap in {stage}: a survey of {country}'s sites",
    "Call for partners: {modality} for {area}",
)
TAGS = (
    "funding", "partnership", "event", "call for projects", "training", "GMP",
    "scale-up", "sustainability", "regulation", "digitalisation", "workforce",
)  # fmt: skip
TITLE_MAX = 120


@transaction.atomic
def ensure_news(parent: Page) -> NewsIndexPage:
    """The news section under ``parent`` (created once, shown in the main menu)."""
    index = NewsIndexPage.objects.child_of(parent).first()
    if index is None:
        index = parent.add_child(
            instance=NewsIndexPage(
                title="News",
                slug="news",
                show_in_menus=True,
                intro="<p>News of Europe's health-bioproduction ecosystem.</p>",
            )
        )
    return index


class _Picker:
    """Deterministic choices for one seed (vocabulary read once, ordered by slug)."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)  # noqa: S311 - demo content, not security
        self.stages = list(ValueChainStage.objects.order_by("slug"))
        self.modalities = list(Modality.objects.order_by("slug"))
        self.areas = list(TherapeuticArea.objects.order_by("slug"))
        self.actors = list(
            ActorPage.objects.live().filter(is_demo=True).order_by("pk").only("pk", "title")
        )

    def some(self, items: list, low: int, high: int) -> list:
        return self.rng.sample(items, min(len(items), self.rng.randint(low, high)))


def generate_news(
    index: NewsIndexPage, count: int, seed: int, today: datetime.date | None = None
) -> list[NewsPage]:
    """Create and publish ``count`` synthetic news items under ``index``.

    The same seed (and day) gives the same items: titles, dates over the past year,
    tags, topics and related demo actors (when demo actors are loaded).
    """
    today = today or timezone.localdate()
    pick = _Picker(seed)
    taken = set(NewsPage.objects.child_of(index).values_list("slug", flat=True))
    created = []
    # Demo content is written in English, whatever the language of the shell.
    with transaction.atomic(), translation.override("en"):
        for number in range(1, count + 1):
            created.append(_create_item(index, pick, number, today, taken))
    return created


def _create_item(index, pick: _Picker, number: int, today, taken: set[str]) -> NewsPage:
    rng = pick.rng
    stages = pick.some(pick.stages, 1, 2)
    modalities = pick.some(pick.modalities, 0, 2)
    areas = pick.some(pick.areas, 0, 1)
    countries = sorted(rng.sample(EUROPE, rng.randint(0, 2)))
    actors = pick.some(pick.actors, 0, 3)
    words = {
        "actor": actors[0].title if actors else "A European CDMO",
        "modality": (modalities[0].name if modalities else "biologics").lower(),
        "stage": stages[0].name.lower(),
        "area": (areas[0].name if areas else "rare diseases").lower(),
        "country": country_name(countries[0]) if countries else "Europe",
    }
    title = rng.choice(HEADLINES).format(**words)[:TITLE_MAX]
    title = title[0].upper() + title[1:]
    slug = _unique_slug(title, taken)
    page = NewsPage(
        title=title,
        slug=slug,
        date=today - datetime.timedelta(days=rng.randint(0, 365)),
        summary=(
            f"{DEMO_PREFIX} {title}. Generated for demonstrations of the platform; "
            "no real event is reported here."
        ),
        body=[
            (
                "paragraph",
                RichText(
                    f"<p>{DEMO_PREFIX} this item (no. {number}) "
                    "illustrates how news link to actors and topics.</p>"
                ),
            )
        ],
        countries=countries,
        is_demo=True,
    )
    page.stages = stages
    page.modalities = modalities
    page.therapeutic_areas = areas
    page.related_actors = actors
    page.tags.add(*rng.sample(TAGS, rng.randint(1, 3)))
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def _unique_slug(title: str, taken: set[str]) -> str:
    base = slugify(title)[:60].strip("-") or "news"
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    taken.add(slug)
    return slug
