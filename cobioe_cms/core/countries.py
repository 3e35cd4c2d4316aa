"""The countries the platform maps: geographic Europe and its close neighbours."""

from django.utils.translation import gettext_lazy as _
from django_countries import Countries

# ISO 3166-1 alpha-2 codes, plus XK for Kosovo. Each has a shape on the offline
# basemap (cobioe_cms/actors/static/cobioe_actors/geo).
EUROPE = (
    "AD", "AL", "AM", "AT", "AZ", "BA", "BE", "BG", "BY", "CH", "CY", "CZ", "DE", "DK",
    "EE", "ES", "FI", "FR", "GB", "GE", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT",
    "LU", "LV", "MC", "MD", "ME", "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "SE",
    "SI", "SK", "SM", "TR", "UA", "VA", "XK",
)  # fmt: skip


class EuropeanCountries(Countries):
    """Country choices of actor profiles (names translated by django-countries)."""

    # Kosovo's code is user-assigned, unknown to ISO lists: give its name.
    only = [(code, _("Kosovo")) if code == "XK" else code for code in EUROPE]


european_countries = EuropeanCountries()


def country_name(code: str) -> str:
    """The country's name in the active language ("" for an unknown code)."""
    return str(european_countries.name(code)) if code else ""


def is_known_country(code: str) -> bool:
    return code in EUROPE
