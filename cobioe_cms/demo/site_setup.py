"""The extension's pages in a site (cartography, privacy page) and the consortium's own
profiles: what every installation starts with, demo data or not.

By default the pages are added to the site as it is: under the default Site's root page
(a ``wagtail start`` site's own home page), or under any page given as ``parent``, and
pages that exist already are reused. The reference site instead makes the portal's own
home page (:class:`~cobioe_cms.core.models.PortalHomePage`) its Site's root
(``site_root=True``, ``manage.py load_demo --site-root``).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from cobioe_cms.actors.models import ActorPage, CartographyPage
from cobioe_cms.core.models import (
    ContentPage,
    OrganisationType,
    PortalHomePage,
    ValueChainStage,
)

# The consortium's clusters, shipped with the extension (package data).
CONSORTIUM_FILE = Path(__file__).resolve().parent / "fixtures" / "consortium.json"


class SetupError(Exception):
    """The pages cannot be placed as asked; the message is meant for the operator."""


def load_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def default_site_root() -> Page:
    """The root page of the default Site (Wagtail creates both on install)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise SetupError("There is no default Site: give a parent page, or --site-root.")
    return site.root_page


def find_page(spec: str) -> Page:
    """A page given by its id (``"42"``) or by its URL path on the default Site
    (``"/"`` for the Site's root, ``"/about/"``)."""
    spec = spec.strip()
    if spec.isdigit():
        page = Page.objects.filter(pk=int(spec)).first()
    else:
        root = default_site_root()
        relative = spec.strip("/")
        url_path = root.url_path + (f"{relative}/" if relative else "")
        page = Page.objects.filter(url_path=url_path).first()
    if page is None:
        raise SetupError(f"No page {spec!r} (give a page id or a URL path such as /about/).")
    return page


@transaction.atomic
def ensure_portal_home() -> PortalHomePage:
    """The portal's home page, made the default Site's root (created once).

    Wagtail's "Welcome" placeholder, the root a fresh install starts with, is deleted
    when it is replaced and nothing was added under it."""
    home = PortalHomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(
            instance=PortalHomePage(
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
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        previous_root = site.root_page
        site.root_page = home
        site.site_name = "COBIOE"
        site.save()
        if previous_root.specific_class is Page and not previous_root.get_children().exists():
            previous_root.delete()
    return home


def _free_slug(parent: Page, slug: str) -> str:
    """``slug``, or ``slug-2``, ``slug-3``... if a sibling already has it."""
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


@transaction.atomic
def ensure_site(
    parent: Page | None = None, *, site_root: bool = False
) -> tuple[Page, CartographyPage]:
    """A cartography and a privacy page under ``parent`` (created once).

    ``parent`` defaults to the default Site's root page; with ``site_root`` it is the
    portal's home page, made the Site's root (:func:`ensure_portal_home`). A cartography
    that exists anywhere in the tree is reused, so that running the set-up again (with
    or without a parent) adds nothing. Returns the parent and the cartography."""
    if site_root:
        if parent is not None:
            raise SetupError("Give either a parent page or --site-root, not both.")
        parent = ensure_portal_home()
    elif parent is None:
        parent = default_site_root()
    cartography = (
        CartographyPage.objects.descendant_of(parent).order_by("path").first()
        or CartographyPage.objects.order_by("path").first()
    )
    if cartography is None:
        cartography = parent.add_child(
            instance=CartographyPage(
                title="Cartography",
                slug=_free_slug(parent, "cartography"),
                show_in_menus=True,
                intro=(
                    "<p>Europe's bioproduction actors on a map and in a directory. "
                    "Filter by country, value-chain stage, modality or capacity, "
                    "and export what you see.</p>"
                ),
            )
        )
    # A site that has a privacy page of its own (any page type) keeps it.
    if not Page.objects.descendant_of(parent).filter(slug="privacy").exists():
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
        parent.add_child(instance=privacy)
        privacy.save_revision().publish()
    home = parent.specific
    if isinstance(home, PortalHomePage) and home.cartography_link_id is None:
        home.cartography_link = cartography
        home.save_revision().publish()
    return parent, cartography


@transaction.atomic
def load_consortium(cartography: CartographyPage, path: Path = CONSORTIUM_FILE) -> int:
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
