"""The site's skeleton (home page, cartography, privacy page) and the consortium's own
profiles: what every installation starts with, demo data or not."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from cobioe_cms.core.models import ContentPage, HomePage, OrganisationType, ValueChainStage

from .models import ActorPage, CartographyPage


def load_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


@transaction.atomic
def ensure_site() -> tuple[HomePage, CartographyPage]:
    """A home page at the site root and a cartography under it (created once)."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title="COBIOE",
                slug="home-cobioe",
                intro=(
                    "<p>The open platform that maps Europe's health-bioproduction "
                    "ecosystem: companies, CDMOs, laboratories, training centres and "
                    "clusters that make biologics.</p>"
                ),
            )
        )
        site = Site.objects.filter(is_default_site=True).first()
        previous_root = site.root_page if site else None
        if site is None:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        else:
            site.root_page = home
            site.site_name = "COBIOE"
            site.save()
        # The welcome page Wagtail creates on install is no longer used by any site.
        if previous_root is not None and previous_root.specific_class is Page:
            previous_root.delete()
    cartography = CartographyPage.objects.descendant_of(home).first()
    if cartography is None:
        cartography = home.add_child(
            instance=CartographyPage(
                title="Cartography",
                slug="cartography",
                show_in_menus=True,
                intro=(
                    "<p>Europe's bioproduction actors on a map and in a directory. "
                    "Filter by country, value-chain stage, modality or capacity, "
                    "and export what you see.</p>"
                ),
            )
        )
    if not ContentPage.objects.descendant_of(home).filter(slug="privacy").exists():
        privacy = ContentPage(
            title="Privacy policy",
            slug="privacy",
            intro=(
                "What COBIOE records about members, why, and how to get a copy or have "
                "it deleted. Replace this text with the consortium's own policy."
            ),
            body=[
                ("heading", "What we hold"),
                (
                    "paragraph",
                    "<p>For each member: the e-mail addresses and name given at sign-up, "
                    "the date and version of the privacy policy accepted, the choice "
                    "about news e-mails (off unless ticked), the organisations they "
                    "represent, their claims and invitations, and the changes they made "
                    "to organisation profiles.</p>",
                ),
                ("heading", "Your rights"),
                (
                    "paragraph",
                    "<p>From your dashboard you can download everything we hold about you "
                    "(JSON) and delete your account: your personal data is removed and "
                    "your contributions stay without your name.</p>",
                ),
            ],
        )
        home.add_child(instance=privacy)
        privacy.save_revision().publish()
    if home.cartography_link_id is None:
        home.cartography_link = cartography
        home.save_revision().publish()
    return home, cartography


@transaction.atomic
def load_consortium(cartography: CartographyPage, path: Path) -> int:
    """The consortium's clusters, as real (non-demo) profiles. Returns how many new."""
    created = 0
    for entry in load_json(path)["actors"]:
        if ActorPage.objects.child_of(cartography).filter(slug=entry["slug"]).exists():
            continue
        actor = ActorPage(
            title=entry["title"],
            slug=entry["slug"],
            acronym=entry.get("acronym", ""),
            summary=entry.get("summary", ""),
            city=entry.get("city", ""),
            region=entry.get("region", ""),
            country=entry["country"],
            website=entry.get("website", ""),
            latitude=entry.get("latitude"),
            longitude=entry.get("longitude"),
            organisation_type=OrganisationType.objects.get(slug=entry["organisation_type"]),
            verified=True,
            last_reviewed=timezone.now().date(),
        )
        actor.stages = list(ValueChainStage.objects.filter(slug__in=entry.get("stages", [])))
        cartography.add_child(instance=actor)
        actor.save_revision().publish()
        created += 1
    return created
