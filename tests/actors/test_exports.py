"""Exports hold exactly the actors the directory lists for the same filters."""

import csv
import io
import json

from django.test import TestCase

from .dataset import build_actors
from .test_cartography import listed_slugs

FILTERS = ("", "?country=FR", "?stage=production", "?q=bio", "?modality=unobtainium&type=cdmo")


def read(response) -> str:
    return response.content.decode("utf-8")


def slug_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


class ExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cartography, cls.actors = build_actors()

    def test_exports_equal_the_list(self):
        for query in FILTERS:
            with self.subTest(query=query):
                listed = listed_slugs(self.client.get("/cartography/" + query))
                rows = list(
                    csv.DictReader(
                        io.StringIO(read(self.client.get("/cartography/export/csv/" + query)))
                    )
                )
                from_json = json.loads(read(self.client.get("/cartography/export/json/" + query)))
                geo = json.loads(read(self.client.get("/cartography/export/geojson/" + query)))
                map_data = json.loads(self.client.get("/cartography/map/data/" + query).content)
                self.assertEqual({slug_of(r["url"]) for r in rows}, listed)
                self.assertEqual({slug_of(a["url"]) for a in from_json["actors"]}, listed)
                self.assertEqual(from_json["count"], len(listed))
                self.assertEqual({slug_of(f["properties"]["url"]) for f in geo["features"]}, listed)
                self.assertEqual(map_data["total"], len(listed))
                located = {m[2] for m in map_data["markers"]}
                self.assertLessEqual(located, listed)

    def test_csv_content(self):
        response = self.client.get("/cartography/export/csv/?country=FR&type=cdmo")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment;", response["Content-Disposition"])
        text = read(response)
        self.assertTrue(text.startswith("\ufeff"))
        (row,) = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        self.assertEqual(row["name"], "Lyon Biologics")
        self.assertEqual(row["country"], "FR")
        self.assertEqual(row["stages"], "production|fill-finish")
        self.assertEqual(row["gmp_status"], "gmp-certified")
        self.assertEqual(row["location_precision"], "city")
        self.assertTrue(row["url"].startswith("http://testserver/cartography/"))

    def test_csv_cells_cannot_run_as_formulas(self):
        actor = self.actors["lisbon"]
        actor.summary = '=HYPERLINK("http://evil")'
        actor.acronym = "@SUM"
        actor.save_revision().publish()
        text = read(self.client.get("/cartography/export/csv/?country=PT"))
        self.assertIn("'@SUM", text)
        self.assertNotIn(",@SUM", text)

    def test_geojson_geometry_and_missing_locations(self):
        geo = json.loads(read(self.client.get("/cartography/export/geojson/")))
        self.assertEqual(geo["type"], "FeatureCollection")
        by_name = {f["properties"]["name"]: f for f in geo["features"]}
        self.assertIsNone(by_name["Nowhere Bio"]["geometry"])
        lon, lat = by_name["Lyon Biologics"]["geometry"]["coordinates"]
        self.assertAlmostEqual(lat, 45.75, places=1)
        self.assertAlmostEqual(lon, 4.85, places=1)

    def test_map_data_is_compact_and_excludes_unlocated(self):
        data = json.loads(self.client.get("/cartography/map/data/").content)
        self.assertEqual(data["base_url"], "/cartography/")
        self.assertEqual(data["total"], 6)
        self.assertEqual(data["located"], 5)
        self.assertEqual(data["countries"], {"FR": 2, "DE": 2, "PT": 1, "BE": 1})
        marker = next(m for m in data["markers"] if m[2] == "munich-mab-manufacturing")
        self.assertEqual(marker[3:], ["Munich mAb Manufacturing", "cdmo"])


class MapCompressionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_actors()

    def test_map_data_is_gzipped_for_clients_that_accept_it(self):
        import gzip

        response = self.client.get("/cartography/map/data/", HTTP_ACCEPT_ENCODING="gzip")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Encoding"], "gzip")
        data = json.loads(gzip.decompress(response.content))
        self.assertIn("markers", data)
