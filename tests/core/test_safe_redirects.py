"""Issue 9, item 18: a ``next`` the client chose never answers 500 and never sends
anyone off-site. Every form that posts one is attacked with hostile values, signed in
as an ordinary member, as the review's crawl did."""

from urllib.parse import urlencode, urlsplit

import pytest
from django.urls import reverse

from cobioe_cms.core.redirects import safe_local_path, safe_redirect
from tests.factories import ActorPageFactory, MemberFactory, WatchItemFactory

HOSTILE = [
    "NaN",
    "None",
    "true",
    "watch:feed",  # a view name: redirect() would resolve it
    "index",
    "",
    " ",
    "//evil.example",
    "///evil.example",
    "https://evil.example",
    "http:/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\x00",
    "\x00",
    "/watch/\r\nSet-Cookie: x=1",
    "/\tevil",
    " /watch/",
    "/" + "a" * 5000,
    "https://testserver/watch/",  # even this host: only paths are accepted
]
LOCAL = ["/", "/watch/", "/cartography/?country=FR&stage=production", "/fr/watch/?period=7"]


@pytest.fixture
def member(db):
    return MemberFactory(username="marie", email="marie@example.org")


@pytest.fixture
def targets(cartography):
    """Every member form that takes a ``next`` field: (URL, other POST data, fallback)."""
    actor = ActorPageFactory(parent=cartography, title="Lyon Biologics")
    item = WatchItemFactory(title="A new vector plant in Lyon")
    return [
        (reverse("watch:follow", args=[actor.pk]), {}, actor.url),
        (reverse("watch:not_relevant", args=[item.pk]), {}, reverse("watch:feed")),
        (
            reverse("watch:save_search"),
            {"name": "FR", "querystring": "country=FR", "cartography": cartography.pk},
            cartography.url,
        ),
        (reverse("watch:save_search"), {"name": "broken"}, "/"),  # the form's error path
    ]


def stays_on_site(location: str) -> bool:
    """For views of Django and allauth, which may also answer a relative path or this
    host's absolute URL: never another host, never another scheme."""
    parts = urlsplit(location)
    return (
        parts.scheme in {"", "http", "https"}
        and parts.netloc in {"", "testserver"}
        and not location.startswith("//")
        and "\\" not in location
        and not any(ord(c) < 0x20 for c in location)
    )


def is_local(location: str) -> bool:
    return (
        location.startswith("/")
        and not location.startswith("//")
        and "\\" not in location
        and not any(ord(c) < 0x20 for c in location)
    )


def test_hostile_next_values_never_fail_nor_leave_the_site(client, member, targets):
    client.force_login(member)
    for url, data, fallback in targets:
        for target in HOSTILE:
            response = client.post(url, {**data, "next": target})
            assert response.status_code == 302, (url, target, response.status_code)
            location = response["Location"]
            assert is_local(location), (url, target, location)
            assert location == fallback, (url, target, location)


def test_local_next_values_are_followed(client, member, targets):
    client.force_login(member)
    for url, data, _fallback in targets:
        for target in LOCAL:
            response = client.post(url, {**data, "next": target})
            assert response.status_code == 302
            assert response["Location"] == target, (url, target)


def test_without_next_the_fallback_is_used(client, member, targets):
    client.force_login(member)
    for url, data, fallback in targets:
        assert client.post(url, data)["Location"] == fallback


def test_allauth_login_with_a_hostile_next_stays_on_the_site(client, member):
    for target in HOSTILE:
        response = client.post(
            reverse("account_login") + "?" + urlencode({"next": target}),
            {"login": "marie@example.org", "password": "a-long-pass-phrase", "next": target},
        )
        assert response.status_code in {200, 302}, (target, response.status_code)
        if response.status_code == 302:
            assert stays_on_site(response["Location"]), (target, response["Location"])
        client.logout()


def test_the_language_switch_with_a_hostile_next_stays_on_the_site(client, member):
    client.force_login(member)
    for target in HOSTILE:
        response = client.post(reverse("set_language"), {"language": "fr", "next": target})
        assert response.status_code in {200, 204, 302}, (target, response.status_code)
        if response.status_code == 302:
            assert stays_on_site(response["Location"]), (target, response["Location"])


def test_the_helper_accepts_only_local_paths():
    for target in HOSTILE:
        assert safe_local_path(target) is None, target
    for target in LOCAL:
        assert safe_local_path(target) == target
    for value in (None, 1, ["/watch/"], b"/watch/"):
        assert safe_local_path(value) is None
    assert safe_redirect("NaN", "/watch/")["Location"] == "/watch/"
    assert safe_redirect("/cartography/", "/watch/")["Location"] == "/cartography/"
