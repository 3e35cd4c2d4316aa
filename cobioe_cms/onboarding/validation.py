"""Cleaning one row of an import into the values of an actor profile.

An *error* makes the row unusable (it will be skipped): no name, no known country, a
malformed web address or e-mail, a value too long for its field. A *warning* drops
one value and keeps the row: an unknown taxonomy term or organisation type, an
unreadable size. Messages quote the offending value, so an editor can fix the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import translation
from django.utils.translation import gettext as _

from cobioe_cms.actors.models import ActorPage, SizeBand
from cobioe_cms.core.countries import EUROPE, european_countries
from cobioe_cms.core.text import fold
from cobioe_cms.core.vocabulary import COUNTRY_ALIASES, FACETS_BY_RELATION, ORGANISATION_TYPE

from .mapping import FIELDS_BY_KEY, TERM_FIELDS

TERM_MODELS = {
    key: FACETS_BY_RELATION[key].model for key in (ORGANISATION_TYPE.relation, *TERM_FIELDS)
}
LIST_SEPARATORS = re.compile(r"\s*[;|]\s*")
TEXT_LIMITS = {
    "title": 255,
    "acronym": ActorPage._meta.get_field("acronym").max_length,
    "contact_phone": ActorPage._meta.get_field("contact_phone").max_length,
    "address": ActorPage._meta.get_field("address").max_length,
    "postcode": ActorPage._meta.get_field("postcode").max_length,
    "city": ActorPage._meta.get_field("city").max_length,
    "region": ActorPage._meta.get_field("region").max_length,
    "summary": ActorPage._meta.get_field("summary").max_length,
    "website": ActorPage._meta.get_field("website").max_length,
    "contact_email": ActorPage._meta.get_field("contact_email").max_length,
}
SIZE_WORDS = re.compile(r"employ[eé]e?s?|salari[eé]s?|staff|people|persons|personnes")


@dataclass
class CleanRow:
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Vocabulary:
    """The taxonomy terms and countries a file's values are matched against, by folded
    slug, English or French label. Built once per file (a handful of queries)."""

    def __init__(self):
        self.terms: dict[str, dict[str, str]] = {}
        for key, model in TERM_MODELS.items():
            index: dict[str, str] = {}
            for slug, name, name_fr in model.objects.values_list("slug", "name", "name_fr"):
                for label in (name_fr, name, slug):
                    if label:
                        index[fold(label)] = slug
            self.terms[key] = index
        self.countries: dict[str, str] = {}
        for code in EUROPE:
            self.countries[code.lower()] = code
            alpha3 = european_countries.alpha3(code)
            if alpha3:
                self.countries[alpha3.lower()] = code
            for language in ("fr", "en"):
                with translation.override(language):
                    self.countries[fold(str(european_countries.name(code)))] = code
        for code, aliases in COUNTRY_ALIASES.items():
            for alias in aliases:
                self.countries.setdefault(fold(alias), code)

    def term(self, key: str, raw: str) -> str | None:
        return self.terms[key].get(fold(raw))

    def country(self, raw: str) -> str | None:
        return self.countries.get(fold(raw))


def split_list(raw: str) -> list[str]:
    return [item for item in LIST_SEPARATORS.split(raw.strip()) if item]


def parse_size(raw: str) -> str | None:
    """A size band from "50-249", "1–9 employees", "1000+" or a head count like "35"."""
    text = SIZE_WORDS.sub("", raw.casefold()).replace("–", "-").replace("—", "-")
    compact = re.sub(r"[\s,.']", "", text)
    if compact.isdigit():
        count = int(compact)
        for band, limit in (("1-9", 9), ("10-49", 49), ("50-249", 249), ("250-999", 999)):
            if count <= limit:
                return band
        return SizeBand.VERY_LARGE.value
    return compact if compact in SizeBand.values else None


def clean_row(raw: dict[str, str], vocabulary: Vocabulary, default_country: str = "") -> CleanRow:
    """Clean one row's raw values (field key -> text) into profile values."""
    row = CleanRow()
    values = row.values
    for key, limit in TEXT_LIMITS.items():
        text = " ".join((raw.get(key) or "").split()) if key != "summary" else raw.get(key, "")
        text = (text or "").strip()
        if len(text) > limit:
            row.errors.append(
                _("%(field)s is %(length)d characters long; the limit is %(limit)d.")
                % {"field": FIELDS_BY_KEY[key].label, "length": len(text), "limit": limit}
            )
            text = text[:limit]
        values[key] = text
    if not values["title"]:
        row.errors.append(_("The name is missing."))
    _clean_contact(values, row)
    _clean_country(raw.get("country", ""), vocabulary, default_country, row)
    _clean_terms(raw, vocabulary, row)
    _clean_year(raw.get("year_founded", ""), row)
    size = (raw.get("size_band") or "").strip()
    values["size_band"] = parse_size(size) if size else ""
    if size and not values["size_band"]:
        values["size_band"] = ""
        row.warnings.append(
            _("Size “%(value)s” is not understood (use e.g. 10-49 or a head count); left empty.")
            % {"value": size[:60]}
        )
    return row


def _clean_contact(values: dict, row: CleanRow) -> None:
    website = values["website"]
    if website:
        if not re.match(r"^[a-z][a-z0-9+.-]*://", website, re.IGNORECASE):
            website = f"https://{website}"
        try:
            URLValidator(schemes=["http", "https"])(website)
            values["website"] = website
        except ValidationError:
            row.errors.append(
                _("Website “%(value)s” is not a valid web address.") % {"value": website[:80]}
            )
            values["website"] = ""
    email = values["contact_email"]
    if email:
        email = email.removeprefix("mailto:")
        try:
            EmailValidator()(email)
            values["contact_email"] = email
        except ValidationError:
            row.errors.append(
                _("E-mail “%(value)s” is not a valid e-mail address.") % {"value": email[:80]}
            )
            values["contact_email"] = ""


def _clean_country(raw: str, vocabulary: Vocabulary, default: str, row: CleanRow) -> None:
    raw = (raw or "").strip()
    code = vocabulary.country(raw) if raw else default
    row.values["country"] = code or ""
    if not raw and not default:
        row.errors.append(_("The country is missing."))
    elif not code:
        row.errors.append(
            _("Country “%(value)s” is unknown or not among the countries the cartography maps.")
            % {"value": raw[:60]}
        )


def _clean_terms(raw: dict[str, str], vocabulary: Vocabulary, row: CleanRow) -> None:
    kind = (raw.get("organisation_type") or "").strip()
    row.values["organisation_type"] = vocabulary.term("organisation_type", kind) if kind else None
    if kind and not row.values["organisation_type"]:
        row.warnings.append(
            _("Organisation type “%(value)s” is unknown; left empty.") % {"value": kind[:60]}
        )
    for key in TERM_FIELDS:
        slugs, unknown = [], []
        for item in split_list(raw.get(key) or ""):
            slug = vocabulary.term(key, item)
            if slug is None:
                unknown.append(item[:60])
            elif slug not in slugs:
                slugs.append(slug)
        row.values[key] = slugs
        if unknown:
            row.warnings.append(
                _("%(field)s: “%(values)s” unknown; ignored.")
                % {"field": FIELDS_BY_KEY[key].label, "values": "”, “".join(unknown[:5])}
            )


def _clean_year(raw: str, row: CleanRow) -> None:
    raw = (raw or "").strip()
    row.values["year_founded"] = None
    if not raw:
        return
    match = re.fullmatch(r"(\d{4})(?:\.0+)?|\d{1,2}[/.-]\d{1,2}[/.-](\d{4})|(\d{4})-\d\d-\d\d", raw)
    year = next((int(g) for g in match.groups() if g), None) if match else None
    if year is None or not 1800 <= year <= 2100:
        row.errors.append(
            _("Year founded “%(value)s” is not a year between 1800 and 2100.") % {"value": raw[:20]}
        )
        return
    row.values["year_founded"] = year
