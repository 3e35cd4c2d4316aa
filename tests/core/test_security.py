"""The Content Security Policy of the public pages, and pages that respect it."""

import re

import pytest
from django.utils import timezone

from cobioe_cms.core.models import PortalHomePage
from cobioe_cms.core.security import build_policy, tile_source
from cobioe_cms.news.demo import ensure_news
from cobioe_cms.watch.models import InterestProfile
from tests.factories import ActorPageFactory, MemberFactory, WatchItemFactory
from tests.factories.news import NewsPageFactory
from tests.members.mfa import activate_totp, reauthenticate, sign_in

CSP = "Content-Security-Policy"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>")
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+=", re.IGNORECASE)


def test_tile_sources():
    assert tile_source("https://{s}.tile.example.org/{z}/{x}/{y}.png") == (
        "https://*.tile.example.org"
    )
    assert tile_source("https://tiles.example.eu/{z}/{x}/{y}.png") == "https://tiles.example.eu"
    assert tile_source("") is None
    assert tile_source("javascript:alert(1)") is None
    assert tile_source("https://{z}.example/{x}") is None


def test_the_policy_allows_only_the_site_itself():
    policy = dict(part.split(" ", 1) for part in build_policy("").split("; "))
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in build_policy("")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/cartography/", "/fr/cartography/", "/search/?q=bio", "/accounts/login/"]
)
def test_public_pages_send_the_policy(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response[CSP] == build_policy("")


@pytest.mark.django_db
def test_the_admin_is_left_out_and_report_only_is_possible(client, settings):
    assert CSP not in client.get("/admin/login/")

    settings.COBIOE_CSP_REPORT_ONLY = True
    response = client.get("/cartography/")
    assert CSP not in response
    assert response[f"{CSP}-Report-Only"] == build_policy("")


@pytest.mark.django_db
def test_an_online_tile_layer_is_allowed_as_images(client, settings):
    settings.COBIOE_MAP_TILE_URL = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    policy = client.get("/cartography/")[CSP]
    assert "img-src 'self' data: https://*.tile.example.org;" in policy


@pytest.mark.django_db
def test_public_and_member_pages_have_nothing_inline_the_policy_would_block(client, cartography):
    """What a browser would refuse under the policy: inline scripts (JSON data blocks
    are data, not scripts), style attributes and elements, inline event handlers."""
    actor = ActorPageFactory(parent=cartography, title="Lyon Biologics", stages=["production"])
    news = NewsPageFactory(
        parent=ensure_news(PortalHomePage.objects.get()),
        title="Bioreactor news",
        date=timezone.now(),
    )
    WatchItemFactory(title="Bioreactor item", stages=["production"])
    member = MemberFactory(username="marie", email="marie@lyonbio.eu")
    profile, _created = InterestProfile.objects.get_or_create(user=member)
    profile.keywords = "bioreactor"
    profile.save()
    public = [
        "/",
        "/cartography/",
        "/cartography/?q=lyon&stage=production&page=abc",
        actor.url,
        "/news/",
        news.url,
        "/search/?q=bioreactor",
        "/search/?q=",
        "/accounts/login/",
        "/accounts/signup/",
        "/fr/cartography/",
        "/no-such-page/",
    ]
    for_members = ["/members/", "/watch/", "/watch/interests/", "/search/?q=bioreactor"]

    pages = [(url, client.get(url)) for url in public]
    client.force_login(member)
    pages += [(url, client.get(url)) for url in for_members]
    assert_nothing_inline(pages)


@pytest.mark.django_db
def test_two_factor_pages_have_nothing_inline_the_policy_would_block(client):
    """allauth's two-factor pages, in the theme: set-up, recovery codes, and the second
    step of signing in. The QR code is an image from a data: URI, which img-src allows."""
    MemberFactory(username="marie", email="marie@lyonbio.eu")
    sign_in(client, "marie@lyonbio.eu")
    reauthenticate(client)
    activate = client.get("/accounts/2fa/totp/activate/")
    assert '<img src="data:image/svg+xml;base64,' in activate.content.decode()
    assert "img-src 'self' data:" in activate[CSP]
    pages = [(url, client.get(url)) for url in ("/accounts/2fa/",)] + [
        ("/accounts/2fa/totp/activate/", activate)
    ]
    activate_totp(client)
    protected = [
        "/accounts/2fa/",
        "/accounts/2fa/recovery-codes/",
        "/accounts/2fa/recovery-codes/generate/",
        "/accounts/2fa/totp/deactivate/",
    ]
    pages += [(url, client.get(url)) for url in protected]
    client.post("/accounts/logout/")
    sign_in(client, "marie@lyonbio.eu")
    pages.append(("/accounts/2fa/authenticate/", client.get("/accounts/2fa/authenticate/")))
    assert all(response.status_code == 200 for _url, response in pages), pages
    assert_nothing_inline(pages)


def assert_nothing_inline(pages) -> None:
    for url, response in pages:
        assert response.status_code in {200, 404}, url
        html = response.content.decode()
        for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE, STYLE_ELEMENT, EVENT_HANDLER):
            assert not pattern.search(html), (url, pattern.search(html).group(0))
        assert CSP in response, url


def test_the_checks_see_what_they_look_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/a.js"></script>')
    assert not INLINE_SCRIPT.search('<script id="d" type="application/json">{}</script>')
    assert STYLE_ATTRIBUTE.search('<p class="x" style="color: red">')
    assert EVENT_HANDLER.search('<a href="#" onclick="go()">')
    assert not EVENT_HANDLER.search('<a href="/contact-us/">')
