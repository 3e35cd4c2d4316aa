"""A factsheet per country with published actors (``/panorama/countries/<code>/``).

Counts come from the statistics' snapshot (:mod:`.statistics`); the page reads from the
database only what the snapshot does not hold, each in one query whatever the number of
actors: the coverage estimates, the cartography's URL, the actors' positions (cached
with the snapshot's generation), the latest news and the largest actors.

Codes are upper case in the canonical URL: ``countries/fr/`` redirects (301) there.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.countries import country_name, is_known_country

from . import statistics
from .coverage import cartography_base_url, cartography_slice_url, coverage_summary

TOP_TERMS = 5
TOP_ACTORS = 10
NEWS = 5
COMMERCIAL_SCALE = "commercial"
MAP_KEY = "cobioe-panorama:factsheet-map:{generation}:{code}"
LARGEST_KEY = "cobioe-panorama:factsheet-largest:{generation}:{code}:{limit}"
MAP_WIDTH = 480
# Natural Earth's shapes include overseas territories: the map keeps the polygons and
# the actors in this window of Europe (longitude, latitude), so that France is France.
EUROPE_WINDOW = (-25.0, 34.0, 45.0, 72.0)


@dataclass(frozen=True)
class TermCount:
    key: str
    label: str
    count: int
    url: str


def countries_with_actors() -> list[tuple[str, str, int]]:
    """(code, name in the active language, published actors) of every country that has
    a factsheet, by name."""
    rows = [
        (value.key, value.label, value.count)
        for value in statistics.get_snapshot().values.get("country", ())
        if value.bits
    ]
    return sorted(rows, key=lambda row: row[1])


def factsheet_url(page, code: str, request=None, page_url: str | None = None) -> str:
    """The factsheet's URL under the panorama ``page`` (whose URL ``page_url`` saves
    looking up again)."""
    if page_url is None:
        page_url = page.get_url(request) or ""
    return page_url + page.reverse_subpage("factsheet", args=(code,))


def _ranked(dimension: str, code: str, base: str, limit: int | None) -> list[TermCount]:
    """The values of ``dimension`` the country's actors have, most actors first."""
    rows = [
        (position, count)
        for position, count in enumerate(statistics.counts(dimension, {"country": code}))
        if count.count
    ]
    rows.sort(key=lambda row: (-row[1].count, row[0]))
    return [
        TermCount(
            count.value.key,
            count.value.label,
            count.count,
            cartography_slice_url(base, {"country": code, dimension: count.value.key}),
        )
        for _position, count in rows[:limit]
    ]


def rank_in_europe(code: str) -> tuple[int, int]:
    """(the country's rank by published actors, countries with actors); ties share a rank."""
    snapshot = statistics.get_snapshot()
    counts = [value.count for value in snapshot.values["country"] if value.bits]
    mine = snapshot.value("country", code)
    own = mine.count if mine else 0
    return 1 + sum(1 for count in counts if count > own), len(counts)


# -- the map ------------------------------------------------------------------------

_shapes_lock = threading.Lock()
_shapes: dict[str, list[list[tuple[float, float]]]] = {}


def country_rings(code: str) -> list[list[tuple[float, float]]]:
    """The outer rings (lon, lat) of the country's shape inside :data:`EUROPE_WINDOW`,
    from the cartography's offline basemap (read once per process)."""
    with _shapes_lock:
        if not _shapes:
            path = finders.find("cobioe_actors/geo/europe.geojson")
            if path:
                data = json.loads(Path(path).read_text(encoding="utf-8"))
                for feature in data["features"]:
                    geometry = feature["geometry"]
                    polygons = (
                        [geometry["coordinates"]]
                        if geometry["type"] == "Polygon"
                        else geometry["coordinates"]
                    )
                    _shapes[feature["properties"]["iso"]] = [
                        [tuple(point) for point in polygon[0]]
                        for polygon in polygons
                        if _in_window(*polygon[0][0])
                    ]
            _shapes.setdefault("", [])
    return _shapes.get(code, [])


def _in_window(lon: float, lat: float) -> bool:
    west, south, east, north = EUROPE_WINDOW
    return west <= lon <= east and south <= lat <= north


@dataclass(frozen=True)
class CountryMap:
    """An SVG map: the country's outline and one dot per distinct actor position."""

    width: int
    height: int
    outline: str  # the ``d`` of a path
    dots: str  # the ``d`` of a path of zero-length segments, drawn with round caps
    positions: int  # distinct positions drawn
    located: int  # actors with coordinates


def country_map(code: str) -> CountryMap | None:
    """The country's map, cached with the snapshot's generation (one query to build)."""
    key = MAP_KEY.format(generation=statistics.generation(), code=code)
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    points = [
        (lon, lat)
        for lat, lon in statistics.published_actors()
        .filter(country=code, latitude__isnull=False, longitude__isnull=False)
        .values_list("latitude", "longitude")
        if _in_window(lon, lat)
    ]
    built = _draw(country_rings(code), points)
    cache.set(key, built or "", timeout=statistics.SNAPSHOT_TIMEOUT)
    return built


def _draw(rings, points) -> CountryMap | None:
    coordinates = [point for ring in rings for point in ring] + points
    if not coordinates:
        return None
    west = min(lon for lon, _lat in coordinates)
    east = max(lon for lon, _lat in coordinates)
    south = min(lat for _lon, lat in coordinates)
    north = max(lat for _lon, lat in coordinates)
    # An equirectangular projection at the country's latitude: fair for one country.
    stretch = math.cos(math.radians((north + south) / 2))
    span_x = max((east - west) * stretch, 0.1)
    span_y = max(north - south, 0.1)
    margin = 8
    scale = (MAP_WIDTH - 2 * margin) / span_x
    height = min(round(span_y * scale) + 2 * margin, 2 * MAP_WIDTH)
    scale = min(scale, (height - 2 * margin) / span_y)

    def xy(lon: float, lat: float) -> tuple[int, int]:
        return (
            round(margin + (lon - west) * stretch * scale),
            round(margin + (north - lat) * scale),
        )

    outline = []
    for ring in rings:
        projected = [xy(*point) for point in ring]
        deduplicated = [p for i, p in enumerate(projected) if i == 0 or p != projected[i - 1]]
        if len(deduplicated) > 2:
            outline.append("M" + "L".join(f"{x} {y}" for x, y in deduplicated) + "Z")
    dots = sorted({xy(lon, lat) for lon, lat in points})
    return CountryMap(
        width=MAP_WIDTH,
        height=height,
        outline="".join(outline),
        dots="".join(f"M{x} {y}h0" for x, y in dots),
        positions=len(dots),
        located=len(points),
    )


# -- the page -----------------------------------------------------------------------


def largest_actors(code: str, limit: int = TOP_ACTORS):
    """The country's actors with the largest bioreactors, then those at commercial
    scale, by name: one query for the ranking (cached with the snapshot's generation,
    since it sorts all the country's actors), then one for the pages by id."""
    key = LARGEST_KEY.format(generation=statistics.generation(), code=code, limit=limit)
    ranking = cache.get(key)
    if ranking is None:
        field = ActorPage._meta.get_field("scales")
        commercial = field.remote_field.through.objects.filter(
            **{
                f"{field.m2m_field_name()}_id": OuterRef("pk"),
                f"{field.m2m_reverse_field_name()}__slug": COMMERCIAL_SCALE,
            }
        )
        ranking = list(
            statistics.published_actors()
            .filter(country=code)
            .annotate(commercial=Exists(commercial))
            .filter(Q(max_bioreactor_volume__isnull=False) | Q(commercial=True))
            .order_by(
                F("max_bioreactor_volume").desc(nulls_last=True), "-commercial", "title", "pk"
            )
            .values_list("pk", "commercial")[:limit]
        )
        cache.set(key, ranking, timeout=statistics.SNAPSHOT_TIMEOUT)
    commercial_ids = {pk for pk, commercial in ranking if commercial}
    pages = statistics.published_actors().select_related("organisation_type")
    found = pages.in_bulk([pk for pk, _commercial in ranking])
    actors = [found[pk] for pk, _commercial in ranking if pk in found]
    for actor in actors:
        actor.commercial = actor.pk in commercial_ids
    return actors


def recent_news(code: str, limit: int = NEWS):
    """The newest public news about the country (none when the news app is absent)."""
    from django.apps import apps

    if not apps.is_installed("cobioe_cms.news"):
        return []
    from cobioe_cms.news.models import NewsPage

    return list(NewsPage.objects.live().public().about("country", code).newest_first()[:limit])


def factsheet_response(page, request, code: str):
    """The factsheet of ``code`` under the panorama ``page``: 404 for an unknown code or
    a country without published actors, 301 to the upper-case URL."""
    canonical = code.upper()
    if len(canonical) != 2 or not is_known_country(canonical):
        raise Http404("Unknown country")
    snapshot = statistics.get_snapshot()
    value = snapshot.value("country", canonical)
    if value is None or not value.bits:
        raise Http404("No published actor in this country")
    if code != canonical:
        return HttpResponsePermanentRedirect(factsheet_url(page, canonical, request))

    base = cartography_base_url(request)
    page_url = page.get_url(request) or ""
    # What the cached fragments of factsheet.html show is computed only when a fragment
    # is not in the cache (they are kept per generation of the statistics and path).
    coverage = SimpleLazyObject(
        lambda: coverage_summary(page.coverage_goal, request, cartography_url=base)
    )
    rank, ranked = rank_in_europe(canonical)
    context = {
        "page": page,
        "self": page,
        "request": request,
        "generation": statistics.current_generation(),
        "country_code": canonical,
        "country_name": country_name(canonical),
        "actor_count": value.count,
        "rank": rank,
        "ranked_countries": ranked,
        "coverage": coverage,
        "country_coverage": SimpleLazyObject(lambda: coverage.country(canonical)),
        "country_stage_coverage": SimpleLazyObject(
            lambda: [
                (snapshot.value("stage", row.stage), row)
                for row in coverage.country_stages
                if row.country == canonical
            ]
        ),
        "modalities": SimpleLazyObject(lambda: _ranked("modality", canonical, base, TOP_TERMS)),
        "stages": SimpleLazyObject(lambda: _ranked("stage", canonical, base, TOP_TERMS)),
        "types": SimpleLazyObject(lambda: _ranked("type", canonical, base, None)),
        "map": SimpleLazyObject(lambda: country_map(canonical)),
        "news": recent_news(canonical),
        "largest": SimpleLazyObject(lambda: largest_actors(canonical)),
        "cartography_url": cartography_slice_url(base, {"country": canonical}),
        "panorama_url": page_url,
        "countries": SimpleLazyObject(
            lambda: [
                (other, label, count, factsheet_url(page, other, page_url=page_url))
                for other, label, count in countries_with_actors()
            ]
        ),
    }
    return TemplateResponse(request, "cobioe_panorama/factsheet.html", context)
