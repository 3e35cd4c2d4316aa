"""What search engines and other crawlers read: ``/sitemap.xml`` and ``/robots.txt``.

The sitemap is Wagtail's (every live, public page of the request's site), with each
page once per language: its English URL (``/...``) and its French one (``/fr/...``), each
listing both as ``hreflang`` alternates plus ``x-default`` (the English URL), as search
engines ask. Profiles merged into another one are left out, even if still live.

``robots.txt`` lets crawlers read the public pages and keeps them out of the members'
area, the sign-in pages, the admin and the endless URL spaces (site search results,
the cartography's exports and map data: the bulk open-data files under ``/opendata/``
hold the same data, built once in the background).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from cobioe_cms.actors.models import ActorPage

SITEMAP_CACHE_SECONDS = 3600

# Paths kept out of crawlers' reach, in every language (the French ones under /fr/).
PRIVATE_PREFIXES = (
    "/admin/",
    "/accounts/",
    "/members/",
    "/watch/",
    "/community/messages/",
    "/community/notifications/",
    "/search/",
    "/_util/",
)
# The cartography's routes that compute data per request (wildcards of RFC 9309).
COSTLY_PATTERNS = ("/*/export/", "/*/map/data/")


class MultilingualSitemap(Sitemap):
    """Wagtail's sitemap of the site's live public pages, each in every language."""

    def items(self):
        merged = ActorPage.objects.filter(merged_into__isnull=False).values("pk")
        return super().items().exclude(pk__in=merged)

    def languages(self) -> list[str]:
        return [code for code, _name in settings.LANGUAGES]

    def _urls(self, page, protocol, domain):
        urls = []
        lastmods = []
        default = settings.LANGUAGE_CODE
        for item in self.paginator.page(page).object_list.iterator():
            locations = {}
            for language in self.languages():
                with translation.override(language):
                    locations[language] = item.get_full_url(self.request)
            if locations.get(default) is None:
                continue  # not routable from this site
            alternates = [
                {"lang_code": code, "location": location} for code, location in locations.items()
            ]
            alternates.append({"lang_code": "x-default", "location": locations[default]})
            lastmod = self.lastmod(item)
            lastmods.append(lastmod)
            for location in locations.values():
                urls.append({"location": location, "lastmod": lastmod, "alternates": alternates})
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


@require_safe
@cache_page(SITEMAP_CACHE_SECONDS)
def sitemap(request: HttpRequest) -> HttpResponse:
    return wagtail_sitemap(request, sitemaps={"pages": MultilingualSitemap(request)})


def disallowed_paths() -> list[str]:
    """Every private prefix, in each language, then the costly routes."""
    paths = []
    for code, _name in settings.LANGUAGES:
        language_prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
        paths.extend(f"{language_prefix}{prefix}" for prefix in PRIVATE_PREFIXES)
    return [*paths, *COSTLY_PATTERNS]


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    body = render_to_string(
        "cobioe_panorama/robots.txt",
        {
            "disallowed": disallowed_paths(),
            "sitemap_url": request.build_absolute_uri(reverse("cobioe_discovery:sitemap")),
        },
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


# -- schema.org data of profiles and news (JSON-LD) ------------------------------------

# Characters that could end the <script> element or open markup, as JSON escapes
# (what Django's json_script does).
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict[str, Any]) -> str:
    """``data`` as a ``<script type="application/ld+json">`` element, safe in HTML:
    a ``</script>`` inside a title stays text."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308 (escaped above)
    )


def _absolute_url(page, request: HttpRequest | None) -> str:
    """The page's URL on the host the visitor used, as the canonical link gives it."""
    if request is None:
        return page.get_full_url()
    return request.build_absolute_uri(page.get_url(request))


def _employees(size_band: str) -> dict[str, Any] | None:
    low, _dash, high = size_band.rstrip("+").partition("-")
    if not low.isdigit():
        return None
    value: dict[str, Any] = {"@type": "QuantitativeValue", "minValue": int(low)}
    if high.isdigit():
        value["maxValue"] = int(high)
    return value


def organisation_data(actor: ActorPage, request: HttpRequest | None = None) -> dict[str, Any]:
    """schema.org ``Organization`` of a profile: what the public profile shows, without
    any contact detail (the exports give those to signed-in members only)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": actor.title,
        "url": _absolute_url(actor, request),
    }
    if actor.acronym:
        data["alternateName"] = actor.acronym
    if actor.summary:
        data["description"] = actor.summary
    if actor.website:
        data["sameAs"] = [actor.website]
    address = {
        "@type": "PostalAddress",
        "streetAddress": actor.address,
        "postalCode": actor.postcode,
        "addressLocality": actor.city,
        "addressRegion": actor.region,
        "addressCountry": str(actor.country),
    }
    data["address"] = {key: value for key, value in address.items() if value}
    if actor.has_location:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": actor.latitude,
            "longitude": actor.longitude,
        }
    if actor.year_founded:
        data["foundingDate"] = str(actor.year_founded)
    employees = _employees(actor.size_band or "")
    if employees:
        data["numberOfEmployees"] = employees
    topics = [term.label for term in actor.modalities.all()]
    topics += [term.label for term in actor.therapeutic_areas.all()]
    if topics:
        data["knowsAbout"] = topics
    if actor.logo_id:
        logo = actor.logo.get_rendition("max-160x160")
        data["logo"] = request.build_absolute_uri(logo.url) if request else logo.url
    return data


def news_article_data(news, request: HttpRequest | None = None) -> dict[str, Any]:
    """schema.org ``NewsArticle`` of a news item, published by the platform."""
    site_url = request.build_absolute_uri("/") if request else ""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": news.title,
        "url": _absolute_url(news, request),
        "datePublished": news.date.isoformat(),
        "publisher": {
            "@type": "Organization",
            "name": getattr(settings, "WAGTAIL_SITE_NAME", "COBIOE"),
            **({"url": site_url} if site_url else {}),
        },
    }
    if news.last_published_at:
        data["dateModified"] = news.last_published_at.isoformat()
    if news.summary:
        data["description"] = news.summary
    return data
