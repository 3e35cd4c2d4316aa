"""The extension's URLs: each app's are included only when the app is installed, so that
a site can install the cartography alone."""

from django.urls import reverse

from cobioe_cms.urls import APP_URLS, installed_app_urls


def prefixes(installed: set[str]) -> list[str]:
    return [str(pattern.pattern) for pattern in installed_app_urls(installed.__contains__)]


def test_the_cartography_alone_needs_no_urls():
    assert prefixes({"cobioe_cms.core", "cobioe_cms.actors"}) == []


def test_each_installed_app_brings_its_own():
    assert prefixes({"cobioe_cms.core", "cobioe_cms.actors", "cobioe_cms.search"}) == ["search/"]
    assert prefixes({"allauth.account", "cobioe_cms.members"}) == ["accounts/", "members/"]
    everything = {app for app, _prefix, _module in APP_URLS}
    assert prefixes(everything) == ["accounts/", "members/", "watch/", "community/", "search/"]


def test_the_reference_site_keeps_its_url_names():
    assert reverse("members:dashboard") == "/members/"
    assert reverse("watch:feed") == "/watch/"
    assert reverse("cobioe_search:site_search") == "/search/"
    assert reverse("account_login") == "/accounts/login/"
