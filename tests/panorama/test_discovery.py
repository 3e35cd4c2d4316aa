"""sitemap.xml, robots.txt, canonical URLs, hreflang, Open Graph and JSON-LD (issue 14)."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import PageViewRestriction

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.models import Modality, PortalHomePage
from cobioe_cms.news.demo import ensure_news
from cobioe_cms.news.models import NewsIndexPage
from tests.core.test_security import INLINE_SCRIPT
from tests.factories import ActorPageFactory, NewsPageFactory

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def full_url(page, language):
    with translation.override(language):
        return page.get_full_url()


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    entries = {}
    for url in root.findall("s:url", NS):
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
        entries[url.find("s:loc", NS).text] = alternates
    return entries


def json_ld(html):
    blocks = LD_JSON.findall(html)
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


@pytest.mark.django_db
def test_sitemap_lists_live_public_pages_in_both_languages(client, cartography):
    live = ActorPageFactory(parent=cartography, title="Lyon Bio")
    draft = ActorPageFactory(parent=cartography, title="Draft Bio", live=False)
    private = ActorPageFactory(parent=cartography, title="Private Bio")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    merged = ActorPageFactory(parent=cartography, title="Merged Bio")
    ActorPage.objects.filter(pk=merged.pk).update(merged_into=live)

    entries = sitemap_entries(client)

    english, french = full_url(live, "en"), full_url(live, "fr")
    assert "/fr/" in french and "/fr/" not in english
    assert entries[english] == {"en": english, "fr": french, "x-default": english}
    assert entries[french] == entries[english]
    assert full_url(cartography, "fr") in entries
    listed = " ".join(entries)
    for hidden in (draft, private, merged):
        assert f"/{hidden.slug}/" not in listed, hidden.title
    assert "/admin/" not in listed and "/members/" not in listed


@pytest.mark.django_db
def test_sitemap_query_count_does_not_grow_with_the_actors(client, cartography):
    def queries():
        cache.clear()  # the sitemap is cached for an hour
        with CaptureQueriesContext(connection) as context:
            assert client.get("/sitemap.xml").status_code == 200
        return len(context.captured_queries)

    for n in range(5):
        ActorPageFactory(parent=cartography, title=f"Few {n}")
    queries()  # per-process caches (content types) warm up
    few = queries()
    for n in range(25):
        ActorPageFactory(parent=cartography, title=f"Many {n}")
    cache.clear()
    assert len(sitemap_entries(client)) >= 60
    assert queries() == few


@pytest.mark.django_db
def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/accounts/", "/members/", "/fr/members/", "/community/messages/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /*/export/" in lines
    assert "Allow: /" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert client.post("/robots.txt").status_code == 405


@pytest.mark.django_db
def test_canonical_drops_filters_and_keeps_the_page_number(client, cartography):
    ActorPageFactory(parent=cartography, title="Lyon Bio")
    html = client.get(
        cartography.url, {"country": "FR", "sort": "name", "utm_source": "x", "page": "1"}
    ).content.decode()
    assert '<link rel="canonical" href="http://testserver/cartography/?page=1">' in html
    html = client.get(cartography.url, {"page": "<b>"}).content.decode()
    assert '<link rel="canonical" href="http://testserver/cartography/">' in html


@pytest.mark.django_db
def test_hreflang_and_open_graph_in_both_languages(client, cartography):
    actor = ActorPageFactory(parent=cartography, title="Lyon Bio", summary="We make vectors.")
    english = actor.url
    for path, locale in ((english, "en_GB"), (f"/fr{english}", "fr_FR")):
        html = client.get(path).content.decode()
        assert f'<link rel="canonical" href="http://testserver{path}">' in html
        assert f'hreflang="en" href="http://testserver{english}"' in html
        assert f'hreflang="fr" href="http://testserver/fr{english}"' in html
        assert f'hreflang="x-default" href="http://testserver{english}"' in html
        assert '<meta property="og:title" content="Lyon Bio">' in html
        assert '<meta property="og:description" content="We make vectors.">' in html
        assert f'<meta property="og:url" content="http://testserver{path}">' in html
        assert '<meta property="og:type" content="website">' in html
        assert f'<meta property="og:locale" content="{locale}">' in html


@pytest.mark.django_db
def test_actor_profile_carries_organization_json_ld_without_contacts(client, cartography):
    actor = ActorPageFactory(
        parent=cartography,
        title="Evil </script><script>alert(1)</script> Bio",
        slug="evil-bio",
        acronym="EB",
        summary="Viral vectors & <b>cells</b>.",
        website="https://evil.example.org/",
        contact_email="contact@evil.example.org",
        contact_phone="+33 1 23 45 67 89",
        city="Lyon",
        postcode="69007",
        region="Auvergne-Rhône-Alpes",
        latitude=45.75,
        longitude=4.85,
        year_founded=2004,
        size_band="50-249",
        modalities=["gene-therapies-viral-vectors"],
    )
    english = actor.url
    response = client.get(english)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert not INLINE_SCRIPT.search(html), "the JSON-LD must not count as an inline script"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    data = json_ld(html)
    assert data["@type"] == "Organization"
    assert data["name"] == actor.title
    assert data["alternateName"] == "EB"
    assert data["url"] == f"http://testserver{english}"
    assert data["sameAs"] == ["https://evil.example.org/"]
    assert data["description"] == "Viral vectors & <b>cells</b>."
    assert data["address"] == {
        "@type": "PostalAddress",
        "postalCode": "69007",
        "addressLocality": "Lyon",
        "addressRegion": "Auvergne-Rhône-Alpes",
        "addressCountry": "FR",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 45.75, "longitude": 4.85}
    assert data["foundingDate"] == "2004"
    assert data["numberOfEmployees"] == {
        "@type": "QuantitativeValue",
        "minValue": 50,
        "maxValue": 249,
    }
    assert data["knowsAbout"] == [Modality.objects.get(slug="gene-therapies-viral-vectors").name]
    assert "contact@" not in json.dumps(data) and "+33" not in json.dumps(data)
    french = json_ld(client.get(f"/fr{english}").content.decode())
    modality = Modality.objects.get(slug="gene-therapies-viral-vectors")
    assert modality.name_fr and modality.name_fr != modality.name
    assert french["knowsAbout"] == [modality.name_fr]


@pytest.mark.django_db
def test_news_item_carries_news_article_json_ld(client):
    index = NewsIndexPage.objects.first() or ensure_news(PortalHomePage.objects.get())
    news = NewsPageFactory(parent=index, title="Funding </script> round", summary="A & B.")
    english = news.url
    html = client.get(english).content.decode()
    assert "Funding </script>" not in html
    data = json_ld(html)
    news.refresh_from_db()
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Funding </script> round"
    assert data["url"] == f"http://testserver{english}"
    assert data["datePublished"] == news.date.isoformat()
    assert data["dateModified"] == news.last_published_at.isoformat()
    assert data["publisher"]["name"] == "COBIOE"
    assert data["description"] == "A & B."
    assert '<meta property="og:type" content="article">' in html
