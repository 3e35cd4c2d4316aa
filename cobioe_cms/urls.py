"""URLs of the COBIOE extension that are not Wagtail pages.

Pages (cartography, profiles, news) are served by Wagtail itself; the cartography's map
data and exports are routes of its page. Apps with views of their own have their own
URLs, each includable alone (namespaces ``members``, ``watch``, ``community`` and
``cobioe_search``).

A site includes those of every installed app, before Wagtail's page-serving URLs::

    path("", include("cobioe_cms.urls")),
    path("", include(wagtail_urls)),

``cobioe_cms.urls`` holds allauth's URLs (``accounts/``) when ``allauth.account`` is
installed and each of ``members/``, ``watch/``, ``community/`` and ``search/`` when its app
is; a site with the cartography alone (``cobioe_cms.core`` and ``cobioe_cms.actors``) needs none.
Or a site includes only the ones it wants, under prefixes of its choice::

    path("search/", include("cobioe_cms.search.urls")),
    path("members/", include("cobioe_cms.members.urls")),
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.urls import URLResolver, include, path

# (app that must be installed, URL prefix, URLconf module), in the order they are tried.
APP_URLS: tuple[tuple[str, str, str], ...] = (
    ("allauth.account", "accounts/", "allauth.urls"),
    ("cobioe_cms.members", "members/", "cobioe_cms.members.urls"),
    ("cobioe_cms.watch", "watch/", "cobioe_cms.watch.urls"),
    ("cobioe_cms.community", "community/", "cobioe_cms.community.urls"),
    ("cobioe_cms.search", "search/", "cobioe_cms.search.urls"),
)


# The same for the URLs that exist once, in no language (the open-data API and files,
# sitemap.xml, robots.txt): a site includes them outside ``i18n_patterns``::
#
#     path("", include("cobioe_cms.urls_neutral")),
LANGUAGE_NEUTRAL_URLS: tuple[tuple[str, str, str], ...] = (
    ("cobioe_cms.panorama", "api/v1/", "cobioe_cms.panorama.api_urls"),
    ("cobioe_cms.panorama", "", "cobioe_cms.panorama.discovery_urls"),
)


def installed_app_urls(
    is_installed: Callable[[str], bool] = apps.is_installed,
    app_urls: tuple[tuple[str, str, str], ...] = APP_URLS,
) -> list[URLResolver]:
    """One ``include`` per entry of ``app_urls`` whose app is installed."""
    return [path(prefix, include(module)) for app, prefix, module in app_urls if is_installed(app)]


urlpatterns = installed_app_urls()
