"""Accessibility of the public and member pages in a real browser: axe-core's WCAG 2.1
A/AA rules find no violation, the cartography is usable from the keyboard, and the
site's content security policy lets the map render."""

import json
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from cobioe_cms.actors.models import CartographyPage
from cobioe_cms.core.models import PortalHomePage
from cobioe_cms.news.demo import ensure_news
from tests.factories import ActorPageFactory, MemberFactory, NewsPageFactory, WatchItemFactory
from tests.members.mfa import activate_totp, reauthenticate, stored_totp_secret, totp_code

from .conftest import AXE_JS

# The live server needs transactional tests: see ``site_snapshot`` in conftest.py.
pytestmark = pytest.mark.django_db(transaction=True)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The map draws the basemap and the markers on a canvas (``preferCanvas``), then writes
# how many actors it shows in #map-status; any other ending is the error message.
MAP_DRAWN = """() => {
    const map = document.getElementById('cartography-map');
    const status = document.getElementById('map-status').textContent;
    return map.querySelector('.leaflet-overlay-pane canvas') !== null
        && status !== map.dataset.labelLoading && /3/.test(status);
}"""


@pytest.fixture
def content(restored_site):
    """The session's site and taxonomies, three located actors, a news item and a
    watch item."""
    home = PortalHomePage.objects.get()
    cartography = CartographyPage.objects.get()
    actors = [
        ActorPageFactory(
            parent=cartography,
            title=title,
            city=city,
            country=country,
            latitude=lat,
            longitude=lon,
            summary=f"{title} makes biologics in {city}.",
            stages=["production"],
            modalities=["monoclonal-antibodies"],
        )
        for title, city, country, lat, lon in [
            ("Lyon Biologics", "Lyon", "FR", 45.76, 4.84),
            ("Berlin Vectors", "Berlin", "DE", 52.52, 13.40),
            ("Porto Cell Therapies", "Porto", "PT", 41.15, -8.61),
        ]
    ]
    news_index = ensure_news(home)
    news = NewsPageFactory(
        parent=news_index,
        title="Lyon Biologics opens a new plant",
        related_actors=[actors[0]],
        stages=["production"],
    )
    WatchItemFactory(title="Berlin Vectors raises funds", actors=[actors[1]], stages=["production"])
    return {"actors": actors, "news": news}


def share_session(page, live_server, client: Client) -> None:
    """Give the browser the session of a test client."""
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def member_client(content) -> Client:
    """A test client signed in as a member who just confirmed their password (allauth
    asks for it before security settings change)."""
    client = Client()
    client.force_login(MemberFactory(username="marie", email="marie@lyonbio.eu"))
    reauthenticate(client)
    return client


@pytest.fixture
def member_page(page, live_server, member_client):
    """``page`` signed in as a member (session cookie set directly: the sign-in form
    has its own check)."""
    share_session(page, live_server, member_client)
    return page


def axe_violations(page, exclude: tuple[str, ...] = ()) -> list[dict]:
    page.add_script_tag(path=str(AXE_JS))
    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    return page.evaluate(
        """([context, tags]) => axe.run(context || document, {runOnly: {type: 'tag', values: tags}})
            .then(results => results.violations)""",
        [context, WCAG_TAGS],
    )


def _first_fix(node: dict) -> str:
    """The first suggestion of axe's "Fix any/all of the following:" summary."""
    lines = [line.strip() for line in (node.get("failureSummary") or "").splitlines()]
    return lines[1] if len(lines) > 1 else "".join(lines)


def assert_no_violations(page, exclude: tuple[str, ...] = ()) -> None:
    violations = axe_violations(page, exclude)
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "".join(
            f"    {json.dumps(node['target'])}: {_first_fix(node)}\n" for node in v["nodes"][:3]
        )
        for v in violations
    )
    assert not violations, f"axe found violations on {page.url}:\n{report}"


def open_page(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    assert urlsplit(page.url).path == urlsplit(path).path, f"{path} redirected to {page.url}"
    assert page.locator("main#main").count() == 1, f"{path} is not one of the site's pages"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/news/",
        "/search/?q=Lyon",
        "/accounts/login/",
        "/accounts/signup/",
    ],
)
def test_public_page_passes_axe(page, content, path):
    open_page(page, path)
    assert_no_violations(page)


def test_actor_profile_passes_axe(page, content):
    open_page(page, content["actors"][0].url)
    assert_no_violations(page)


def test_news_item_passes_axe(page, content):
    open_page(page, content["news"].url)
    assert_no_violations(page)


@pytest.mark.parametrize("path", ["/cartography/", "/fr/cartography/"])
def test_cartography_passes_axe(page, content, path):
    open_page(page, path)
    page.wait_for_function(MAP_DRAWN)
    assert_no_violations(page)


@pytest.mark.parametrize("path", ["/members/", "/watch/", "/watch/interests/"])
def test_member_page_passes_axe(member_page, path):
    open_page(member_page, path)
    assert_no_violations(member_page)


@pytest.mark.parametrize("path", ["/accounts/2fa/", "/accounts/2fa/totp/activate/"])
def test_two_factor_set_up_pages_pass_axe(member_page, path):
    open_page(member_page, path)
    assert_no_violations(member_page)


@pytest.mark.parametrize(
    "path", ["/accounts/2fa/", "/accounts/2fa/recovery-codes/", "/accounts/2fa/totp/deactivate/"]
)
def test_two_factor_pages_of_a_protected_account_pass_axe(page, live_server, member_client, path):
    activate_totp(member_client)
    share_session(page, live_server, member_client)
    open_page(page, path)
    assert_no_violations(page)


def test_sign_in_with_an_authenticator_app(page, member_client):
    """The second step of the sign-in form, in the browser: accessible, and it works."""
    activate_totp(member_client)
    open_page(page, "/accounts/login/")
    page.fill("input[name=login]", "marie@lyonbio.eu")
    page.fill("input[name=password]", "a-long-pass-phrase")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert page.locator("main#main").count() == 1, "inside the site's layout"
    assert_no_violations(page)
    secret = stored_totp_secret(User.objects.get(email="marie@lyonbio.eu"))
    page.fill("input[name=code]", totp_code(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/members/")


def test_cartography_keyboard(page, content):
    open_page(page, "/cartography/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible(), "the focused skip link is shown"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # From the main content, Tab reaches the facet checkboxes (in document order).
    reached = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const element = document.activeElement;
                return element.type === 'checkbox' && element.closest('.cartography__facets')
                    ? element.id : null;
            }"""
        )
        if focused:
            reached.add(focused)
            if len(reached) == 2:
                break
    assert "facet-verified" in reached
    assert len(reached) == 2, "the term facets' checkboxes are reachable too"
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")


def test_csp_does_not_break_the_map(strict_page, content):
    page = strict_page
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto("/cartography/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_function(MAP_DRAWN)
    page.wait_for_load_state("networkidle")
    assert page.locator(".leaflet-container").count() == 1
    assert page.locator(".leaflet-overlay-pane canvas").count() > 0, "basemap and markers drawn"
    # The legend is added with the basemap only: the GeoJSON was fetched and drawn.
    assert page.locator(".map-legend").count() == 1
    assert page.locator("#map-status").inner_text() == "3 actors on the map."
    assert not [e for e in errors if "Content Security Policy" in e], errors
    assert not errors, errors


def test_csp_lets_the_two_factor_pages_work(strict_page, live_server, member_client):
    """Under the enforced policy: the QR code (a data: image) shows, and the recovery
    codes' scripts load."""
    page = strict_page
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    share_session(page, live_server, member_client)
    open_page(page, "/accounts/2fa/totp/activate/")
    qr_width = page.evaluate("document.querySelector('main form img').naturalWidth")
    assert qr_width > 0, "the QR code is drawn"
    activate_totp(member_client)
    open_page(page, "/accounts/2fa/recovery-codes/")
    page.wait_for_load_state("networkidle")
    assert not errors, errors


def test_axe_reports_a_violation(page, content):
    """The harness itself: a page with an unlabelled field does fail the check."""
    open_page(page, "/")
    page.evaluate("document.querySelector('main').append(document.createElement('input'))")
    assert "label" in [violation["id"] for violation in axe_violations(page)]
