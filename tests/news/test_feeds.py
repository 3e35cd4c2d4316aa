"""RSS and Atom feeds, parsed as a feed reader would (feedparser) and as plain XML."""

import datetime
import html
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own test responses
from email.utils import parsedate_to_datetime

import feedparser
from django.test import TestCase

from cobioe_cms.core.models import PortalHomePage
from cobioe_cms.news.demo import ensure_news
from tests.factories import NewsPageFactory

from .dataset import TRICKY, TRICKY_SUMMARY, VISIBLE, build_news, days_ago

BASE = "http://testserver"
ATOM = "{http://www.w3.org/2005/Atom}"


def slugs(parsed) -> list[str]:
    return [entry.link.removeprefix(f"{BASE}/news/").strip("/") for entry in parsed.entries]


class FeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = ensure_news(PortalHomePage.objects.get())
        cls.actors, cls.news = build_news(cls.index)

    def fetch(self, url, content_type):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertEqual(response["Content-Type"], f"{content_type}; charset=utf-8")
        parsed = feedparser.parse(response.content)
        self.assertFalse(parsed.bozo, parsed.get("bozo_exception"))
        return response, parsed

    def rss(self, url):
        response, parsed = self.fetch(url, "application/rss+xml")
        self.assertEqual(parsed.version, "rss20")
        return response, parsed

    def atom(self, url):
        response, parsed = self.fetch(url, "application/atom+xml")
        self.assertEqual(parsed.version, "atom10")
        return response, parsed

    def test_rss_feed_fields(self):
        response, parsed = self.rss("/news/feed/rss/")
        self.assertEqual(parsed.feed.title, "News · COBIOE")
        self.assertEqual(parsed.feed.link, f"{BASE}/news/")
        self.assertTrue(parsed.feed.description)
        self.assertEqual(parsed.feed.language, "en")
        self.assertEqual(slugs(parsed), VISIBLE)
        first = parsed.entries[0]
        self.assertEqual(first.title, "mAb expansion")
        self.assertEqual(first.link, f"{BASE}/news/mab-expansion/")
        self.assertEqual(first.id, first.link)
        self.assertEqual(first.summary, "Summary of mAb expansion.")
        self.assertEqual(
            [tag.term for tag in first.tags],
            ["funding", "GMP", "Fill & finish", "Monoclonal antibodies", "France"],
        )
        # Dates are RFC 822, and the item's date is the editor's date.
        items = ET.fromstring(response.content).findall("channel/item")  # noqa: S314
        published = parsedate_to_datetime(items[0].findtext("pubDate"))
        self.assertEqual(published.date(), days_ago(1))
        self.assertIsNotNone(published.tzinfo)
        self.assertEqual(first.published_parsed[:3], days_ago(1).timetuple()[:3])
        self.assertIsNotNone(
            parsedate_to_datetime(ET.fromstring(response.content).findtext("channel/lastBuildDate"))  # noqa: S314
        )

    def test_atom_feed_fields(self):
        response, parsed = self.atom("/news/feed/atom/")
        self.assertEqual(parsed.feed.title, "News · COBIOE")
        self.assertEqual(parsed.feed.id, f"{BASE}/news/")
        links = {link.rel: link.href for link in parsed.feed.links}
        self.assertEqual(links, {"alternate": f"{BASE}/news/", "self": f"{BASE}/news/feed/atom/"})
        self.assertEqual(parsed.feed.author, "COBIOE")
        self.assertEqual(slugs(parsed), VISIBLE)
        entry = parsed.entries[1]
        self.assertEqual(entry.title, "Vaccine call")
        self.assertEqual(entry.id, f"{BASE}/news/vaccine-call/")
        self.assertEqual(
            [tag.term for tag in entry.tags],
            ["funding", "Vaccines", "Infectious diseases", "Germany", "France"],
        )
        # Dates are RFC 3339; an item is never updated before it is published.
        root = ET.fromstring(response.content)  # noqa: S314
        for node in root.findall(f"{ATOM}entry"):
            published = datetime.datetime.fromisoformat(node.findtext(f"{ATOM}published"))
            updated = datetime.datetime.fromisoformat(node.findtext(f"{ATOM}updated"))
            self.assertIsNotNone(published.tzinfo)
            self.assertLessEqual(published, updated)
        self.assertEqual(entry.published_parsed[:3], days_ago(2).timetuple()[:3])
        self.assertIsNotNone(entry.updated_parsed)
        self.assertEqual(len({entry.id for entry in parsed.entries}), len(VISIBLE))

    def test_titles_and_summaries_are_escaped(self):
        for url, fetch in (("/news/feed/rss/", self.rss), ("/news/feed/atom/", self.atom)):
            with self.subTest(url=url):
                response, parsed = fetch(url)
                entry = parsed.entries[-1]
                self.assertEqual(entry.title, TRICKY)
                # Descriptions are HTML: the summary's text comes back once unescaped.
                self.assertEqual(html.unescape(entry.summary), TRICKY_SUMMARY)
                self.assertNotIn("<b>", entry.summary)
                # And the document is well-formed XML with the exact title text.
                root = ET.fromstring(response.content)  # noqa: S314
                titles = [
                    node.text for node in root.iter() if node.tag in ("title", f"{ATOM}title")
                ]
                self.assertIn(TRICKY, titles)

    def test_per_tag_feeds(self):
        _response, parsed = self.rss("/news/tag/funding/feed/rss/")
        self.assertEqual(slugs(parsed), ["mab-expansion", "vaccine-call", "tricky-title"])
        self.assertEqual(parsed.feed.link, f"{BASE}/news/tag/funding/")
        self.assertEqual(parsed.feed.title, "News tagged “funding” · COBIOE")
        _response, parsed = self.atom("/news/tag/event/feed/atom/")
        self.assertEqual(slugs(parsed), ["training-week"])

    def test_per_topic_feeds(self):
        cases = {
            "/news/topic/country/FR/feed/rss/": ["mab-expansion", "vaccine-call"],
            "/news/topic/stage/production/feed/atom/": ["mab-expansion"],
            "/news/topic/modality/vaccines/feed/rss/": ["vaccine-call"],
            "/news/topic/area/oncology/feed/atom/": [],
        }
        for url, expected in cases.items():
            with self.subTest(url=url):
                fetch = self.rss if url.endswith("/rss/") else self.atom
                _response, parsed = fetch(url)
                self.assertEqual(slugs(parsed), expected)
        _response, parsed = self.atom("/news/topic/country/DE/feed/atom/")
        links = {link.rel: link.href for link in parsed.feed.links}
        self.assertEqual(links["alternate"], f"{BASE}/news/topic/country/DE/")
        self.assertEqual(links["self"], f"{BASE}/news/topic/country/DE/feed/atom/")

    def test_unknown_feeds_are_404(self):
        for url in (
            "/news/feed/json/",
            "/news/feed/",
            "/news/tag/no-such-tag/feed/rss/",
            "/news/tag/funding/feed/xml/",
            "/news/topic/colour/red/feed/rss/",
            "/news/topic/country/ZZ/feed/atom/",
            "/news/feed.xml",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_drafts_and_private_news_are_never_in_feeds(self):
        for url in (
            "/news/feed/rss/",
            "/news/feed/atom/",
            "/news/tag/funding/feed/rss/",
            "/news/topic/stage/production/feed/atom/",
            "/news/topic/country/FR/feed/rss/",
        ):
            with self.subTest(url=url):
                content = self.client.get(url).content.decode()
                self.assertNotIn("secret-draft", content)
                self.assertNotIn("hidden-news", content)

    def test_french_feed_has_french_labels_and_links(self):
        _response, parsed = self.rss("/fr/news/feed/rss/")
        self.assertEqual(parsed.feed.language, "fr")
        self.assertEqual(parsed.entries[0].link, f"{BASE}/fr/news/mab-expansion/")
        self.assertIn("Anticorps monoclonaux", [tag.term for tag in parsed.entries[0].tags])


class FeedLengthTests(TestCase):
    def test_feeds_hold_the_20_newest_items(self):
        index = ensure_news(PortalHomePage.objects.get())
        for n in range(23):
            NewsPageFactory(parent=index, title=f"Item {n:02d}", date=days_ago(n))
        for url in ("/news/feed/rss/", "/news/feed/atom/"):
            with self.subTest(url=url):
                parsed = feedparser.parse(self.client.get(url).content)
                self.assertEqual(slugs(parsed), [f"item-{n:02d}" for n in range(20)])

    def test_an_item_published_on_its_date_keeps_its_publication_time(self):
        index = ensure_news(PortalHomePage.objects.get())
        today = NewsPageFactory(parent=index, title="Today")
        today.refresh_from_db()
        response = self.client.get("/news/feed/atom/")
        root = ET.fromstring(response.content)  # noqa: S314
        published = datetime.datetime.fromisoformat(root.findtext(f"{ATOM}entry/{ATOM}published"))
        self.assertEqual(published, today.first_published_at)
