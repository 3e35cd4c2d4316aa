"""The news list, archives and item pages: ordering, pagination, bad input, visibility."""

import re

from django.test import TestCase
from taggit.models import Tag

from cobioe_cms.core.models import PortalHomePage
from cobioe_cms.news.demo import ensure_news
from tests.factories import NewsPageFactory

from .dataset import TRICKY, VISIBLE, build_news, days_ago


def listed(response) -> list[str]:
    """Slugs of the news items a list page links to, in page order."""
    html = response.content.decode()
    if 'class="news-list"' not in html:
        return []
    section = html.split('class="news-list"', 1)[1].split("</ol>")[0]
    return re.findall(r'class="news-item__title"><a href="/news/([\w-]+)/"', section)


class NewsListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = ensure_news(PortalHomePage.objects.get())
        cls.actors, cls.news = build_news(cls.index)

    def get(self, url, status=200):
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, url)
        return response

    def test_lists_live_public_news_newest_first(self):
        response = self.get("/news/")
        self.assertEqual(listed(response), VISIBLE)
        self.assertNotContains(response, "Secret draft news")
        self.assertNotContains(response, "Hidden news")
        self.assertContains(response, "<h1>News</h1>", html=True)

    def test_titles_are_escaped_in_html(self):
        response = self.get("/news/")
        self.assertContains(response, "Tricky &lt;b&gt;&amp;&quot;&#x27; title")
        self.assertNotContains(response, TRICKY)

    def test_list_links_to_feeds_in_head_and_body(self):
        html = self.get("/news/").content.decode()
        head = html.split("</head>")[0]
        self.assertIn('<link rel="alternate" type="application/rss+xml"', head)
        self.assertIn('href="/news/feed/rss/"', head)
        self.assertIn('type="application/atom+xml"', head)
        self.assertIn('href="/news/feed/atom/"', head)

    def test_tag_archive(self):
        response = self.get("/news/tag/funding/")
        self.assertEqual(listed(response), ["mab-expansion", "vaccine-call", "tricky-title"])
        self.assertContains(response, "News tagged “funding”")
        head = response.content.decode().split("</head>")[0]
        self.assertIn('href="/news/tag/funding/feed/rss/"', head)
        self.assertIn('href="/news/tag/funding/feed/atom/"', head)
        self.assertEqual(listed(self.get("/news/tag/gmp/")), ["mab-expansion"])

    def test_unknown_tag_is_404_and_a_tag_without_news_is_empty(self):
        self.get("/news/tag/no-such-tag/", status=404)
        Tag.objects.create(name="orphan", slug="orphan")
        response = self.get("/news/tag/orphan/")
        self.assertEqual(listed(response), [])
        self.assertContains(response, "No news on this subject yet.")
        self.assertContains(response, 'href="/news/"')

    def test_tag_with_accents(self):
        NewsPageFactory(parent=self.index, title="Gene therapy", tags=["thérapie génique"])
        response = self.get("/news/tag/th%C3%A9rapie-g%C3%A9nique/")
        self.assertEqual(listed(response), ["gene-therapy"])
        self.assertContains(response, "News tagged “thérapie génique”")

    def test_topic_archives(self):
        cases = {
            # A sub-stage (fill & finish) counts for its parent stage (production).
            "stage/production": ["mab-expansion"],
            "stage/fill-finish": ["mab-expansion"],
            "stage/training": ["training-week"],
            "modality/vaccines": ["vaccine-call"],
            "area/infectious-diseases": ["vaccine-call"],
            "country/FR": ["mab-expansion", "vaccine-call"],
            "country/fr": ["mab-expansion", "vaccine-call"],
            "country/DE": ["vaccine-call"],
            "area/oncology": [],
        }
        for topic, expected in cases.items():
            with self.subTest(topic=topic):
                self.assertEqual(listed(self.get(f"/news/topic/{topic}/")), expected)
        self.assertContains(self.get("/news/topic/country/DE/"), "News about “Germany”")
        self.assertContains(
            self.get("/news/topic/stage/production/"), "News about “Production / manufacturing”"
        )

    def test_unknown_topic_kind_or_value_is_404(self):
        for url in (
            "/news/topic/colour/red/",
            "/news/topic/stage/no-such-stage/",
            "/news/topic/modality/oncology/",  # a term of another taxonomy
            "/news/topic/country/ZZ/",
            "/news/topic/country/US/",  # real, but not one of the mapped countries
            "/news/topic/country/FR/extra/",
            "/news/topic/stage/",
        ):
            with self.subTest(url=url):
                self.get(url, status=404)

    def test_drafts_and_private_news_are_not_served(self):
        self.get("/news/secret-draft/", status=404)
        response = self.get("/news/hidden-news/")
        self.assertNotContains(response, "Hidden news")
        for url in (
            "/news/tag/funding/",
            "/news/topic/stage/production/",
            "/news/topic/country/FR/",
        ):
            with self.subTest(url=url):
                response = self.get(url)
                self.assertNotContains(response, "Secret draft news")
                self.assertNotContains(response, "Hidden news")

    def test_news_page_shows_its_content_and_links(self):
        response = self.get("/news/mab-expansion/")
        html = response.content.decode()
        self.assertContains(response, "<h1>mAb expansion</h1>", html=True)
        self.assertContains(response, "Summary of mAb expansion.")
        self.assertContains(response, f'datetime="{days_ago(1).isoformat()}"')
        self.assertIn('href="/news/tag/funding/"', html)
        self.assertIn('href="/news/tag/gmp/"', html)
        self.assertIn('href="/news/topic/stage/fill-finish/"', html)
        self.assertIn('href="/news/topic/modality/monoclonal-antibodies/"', html)
        self.assertIn('href="/news/topic/country/FR/"', html)
        self.assertIn('href="/cartography/lyon-biologics/"', html)
        # A related actor that is not published is not shown.
        self.assertNotIn("Draft Actor", html)
        self.assertIn('href="/news/feed/rss/"', html.split("</head>")[0])

    def test_french_interface(self):
        response = self.get("/fr/news/topic/modality/monoclonal-antibodies/")
        self.assertEqual(listed(response), [])  # links are /fr/news/...
        html = response.content.decode()
        self.assertIn("Anticorps monoclonaux", html)
        self.assertIn('href="/fr/news/mab-expansion/"', html)
        self.assertIn('href="/fr/news/topic/modality/monoclonal-antibodies/feed/rss/"', html)


class PaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = ensure_news(PortalHomePage.objects.get())
        for n in range(25):
            NewsPageFactory(parent=cls.index, title=f"Item {n:02d}", date=days_ago(n))

    def get(self, query=""):
        response = self.client.get(f"/news/{query}")
        self.assertEqual(response.status_code, 200, query)
        return response

    def test_ten_per_page_newest_first(self):
        first = listed(self.get())
        self.assertEqual(first, [f"item-{n:02d}" for n in range(10)])
        self.assertContains(self.get(), 'href="?page=2"')
        self.assertEqual(listed(self.get("?page=2")), [f"item-{n:02d}" for n in range(10, 20)])
        self.assertEqual(listed(self.get("?page=3")), [f"item-{n:02d}" for n in range(20, 25)])

    def test_bad_page_numbers_give_a_message_not_an_error(self):
        cases = {
            "?page=abc": (0, "is not a page number"),
            "?page=-3": (0, "Page numbers start at 1"),
            "?page=0": (0, "Page numbers start at 1"),
            "?page=99": (20, "There are only 3 pages"),
            "?page=999999999999999999999999": (20, "There are only 3 pages"),
            "?page=1.5": (0, "is not a page number"),
        }
        for query, (first, message) in cases.items():
            with self.subTest(query=query):
                response = self.get(query)
                self.assertEqual(listed(response)[0], f"item-{first:02d}")
                self.assertContains(response, message)

    def test_archives_paginate_too(self):
        response = self.client.get("/news/topic/country/FR/?page=x")
        self.assertContains(response, "is not a page number")
        self.assertContains(response, "No news on this subject yet.")
