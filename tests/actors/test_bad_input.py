"""Bad input never breaks the cartography: it is ignored and explained, never a 500."""

import json

from django.test import TestCase, override_settings

from .dataset import PUBLISHED, build_actors
from .test_cartography import listed_slugs

ENDPOINTS = (
    "/cartography/",
    "/cartography/map/data/",
    "/cartography/export/csv/",
    "/cartography/export/json/",
    "/cartography/export/geojson/",
)
BAD_QUERIES = (
    "?modality=unobtainium",
    "?country=ZZ",
    "?country=fr'--",
    "?country=US",
    "?stage=",
    "?page=-1",
    "?page=0",
    "?page=abc",
    "?page=99999999999999999999999999",
    "?sort=drop table",
    "?q=' OR 1=1; DROP TABLE wagtailcore_page; --",
    "?q=%00%01%02",
    "?q=%25%25%25_",
    "?type=" + "x" * 500,
    "?verified=maybe",
    "?" + "&".join(f"modality=m{i}" for i in range(200)),
    "?q=" + "a" * 30_000,
)


class BadInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cartography, cls.actors = build_actors()

    # 85 exports from one address: past the hourly limit, which has its own tests
    # (test_export_security.py); here each bad query must reach the export itself.
    @override_settings(COBIOE_EXPORTS_PER_HOUR=1000)
    def test_no_bad_input_gives_an_error(self):
        for endpoint in ENDPOINTS:
            for query in BAD_QUERIES:
                with self.subTest(endpoint=endpoint, query=query[:60]):
                    response = self.client.get(endpoint + query)
                    self.assertEqual(response.status_code, 200)
                    if hasattr(response, "streaming_content"):
                        b"".join(response.streaming_content)

    def test_unknown_facet_value_is_ignored_with_a_message(self):
        response = self.client.get("/cartography/?modality=unobtainium&country=DE")
        self.assertContains(
            response, "“unobtainium” is not a known value of “Modality”; it was ignored."
        )
        self.assertEqual(listed_slugs(response), {"berlin-vector-lab", "munich-mab-manufacturing"})

    def test_invalid_country_is_ignored_with_a_message(self):
        response = self.client.get("/cartography/?country=ZZ")
        self.assertContains(response, "“ZZ” is not a known value of “Country”; it was ignored.")
        self.assertEqual(listed_slugs(response), PUBLISHED)

    def test_lower_case_country_is_accepted(self):
        response = self.client.get("/cartography/?country=pt")
        self.assertEqual(listed_slugs(response), {"lisbon-training-academy"})

    def test_sql_like_text_is_plain_text(self):
        response = self.client.get("/cartography/?q=' OR 1=1; --")
        self.assertEqual(listed_slugs(response), set())
        self.assertContains(response, "No actor matches these filters.")

    def test_page_out_of_range_shows_a_real_page_and_says_so(self):
        response = self.client.get("/cartography/?page=-1")
        self.assertContains(response, "Page numbers start at 1; showing page 1.")
        self.assertEqual(listed_slugs(response), PUBLISHED)
        response = self.client.get("/cartography/?page=abc")
        self.assertContains(response, "is not a page number; showing page 1.")
        response = self.client.get("/cartography/?page=500")
        self.assertContains(response, "There is only 1 page; showing it.")

    def test_huge_query_is_shortened_and_said(self):
        response = self.client.get("/cartography/?q=" + "lyon " * 6000)
        self.assertContains(response, "The search text was shortened to its first 200")
        self.assertEqual(listed_slugs(response), {"lyon-biologics"})

    def test_too_many_values_are_capped(self):
        query = "&".join(f"modality=m{i}" for i in range(40))
        response = self.client.get("/cartography/?" + query)
        self.assertContains(response, "Only the first 30 values of “Modality” were used.")

    def test_user_text_is_escaped(self):
        response = self.client.get("/cartography/?q=<script>alert(1)</script>&type=<b>x</b>")
        html = response.content.decode()
        self.assertNotIn("<script>alert(1)</script>", html)
        self.assertNotIn("<b>x</b>", html)
        self.assertIn("&lt;b&gt;x&lt;/b&gt;", html)

    def test_map_data_reports_ignored_values(self):
        response = self.client.get("/cartography/map/data/?country=ZZ")
        data = json.loads(response.content)
        self.assertEqual(data["total"], len(PUBLISHED))
        self.assertEqual(len(data["messages"]), 1)

    def test_unknown_urls_are_404(self):
        for url in (
            "/cartography/no-such-actor/",
            "/cartography/export/xml/",
            "/cartography/map/",
            "/cartography/export.csv",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_posting_to_the_cartography_changes_nothing(self):
        response = self.client.post("/cartography/", {"title": "Injected"})
        self.assertIn(response.status_code, {200, 403, 405})
        self.assertNotContains(self.client.get("/cartography/"), "Injected")
