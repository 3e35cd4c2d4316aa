"""Which column of the file feeds which field of an actor profile.

Files come from many clusters, in English or French, so the header names are only a
hint: the mapping is guessed from them and the editor corrects it. A mapping is stored
as ``{field key: column index}``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cobioe_cms.core.text import fold
from cobioe_cms.core.vocabulary import (
    MODALITIES,
    ORGANISATION_TYPE,
    SERVICES,
    STAGES,
    THERAPEUTIC_AREAS,
)


@dataclass(frozen=True)
class TargetField:
    """A field an import column can fill. ``aliases`` are folded header names."""

    key: str
    label: Promise
    kind: str = "text"  # text, type, country, terms, year, size, url, email
    aliases: tuple[str, ...] = ()


FIELDS: tuple[TargetField, ...] = (
    TargetField(
        "title", _("Name"),
        aliases=("name", "nom", "organisation", "organization", "organisation name",
                 "organization name", "company", "company name", "entreprise", "societe",
                 "raison sociale", "structure", "nom de la structure", "denomination",
                 "nom de l organisation", "nom de l entreprise", "actor", "acteur"),
    ),
    TargetField("acronym", _("Acronym"), aliases=("acronym", "acronyme", "sigle", "short name")),
    TargetField(
        ORGANISATION_TYPE.relation, ORGANISATION_TYPE.label, kind="type",
        aliases=("type", "organisation type", "organization type", "type of organisation",
                 "type of organization", "type d organisation", "type de structure",
                 "category", "categorie", "kind"),
    ),
    TargetField(
        "website", _("Website"), kind="url",
        aliases=("website", "web site", "site web", "site internet", "url", "web", "www",
                 "homepage", "site"),
    ),
    TargetField(
        "contact_email", _("Contact e-mail"), kind="email",
        aliases=("email", "e mail", "mail", "courriel", "contact email", "contact e mail",
                 "adresse email", "adresse e mail", "adresse mail", "email address"),
    ),
    TargetField(
        "contact_phone", _("Phone"),
        aliases=("phone", "telephone", "tel", "phone number", "numero de telephone",
                 "contact phone"),
    ),
    TargetField(
        "address", _("Address"),
        aliases=("address", "adresse", "street", "rue", "address line 1", "street address",
                 "adresse postale"),
    ),
    TargetField(
        "postcode", _("Postcode"),
        aliases=("postcode", "post code", "postal code", "zip", "zip code", "code postal",
                 "cp"),
    ),
    TargetField(
        "city", _("City"), aliases=("city", "town", "ville", "commune", "localite", "locality")
    ),
    TargetField(
        "region", _("Region"),
        aliases=("region", "state", "province", "county", "departement", "land"),
    ),
    TargetField(
        "country", _("Country"), kind="country",
        aliases=("country", "pays", "country code", "code pays", "nation", "iso country"),
    ),
    TargetField(
        STAGES.relation, STAGES.plural, kind="terms",
        aliases=("value chain stages", "value chain stage", "value chain", "stages",
                 "stage", "chaine de valeur", "etapes", "etape", "maillons",
                 "positionnement"),
    ),
    TargetField(
        MODALITIES.relation, MODALITIES.plural, kind="terms",
        aliases=("modalities", "modality", "technologies", "technology", "modalites",
                 "modalite"),
    ),
    TargetField(
        THERAPEUTIC_AREAS.relation, THERAPEUTIC_AREAS.plural, kind="terms",
        aliases=("therapeutic areas", "therapeutic area", "aires therapeutiques",
                 "domaines therapeutiques", "domaine therapeutique", "indications"),
    ),
    TargetField(
        SERVICES.relation, SERVICES.plural, kind="terms",
        aliases=("services", "services offered", "service", "offre de services",
                 "prestations"),
    ),
    TargetField(
        "summary", _("Summary"),
        aliases=("summary", "description", "resume", "presentation", "about", "activite",
                 "activites", "activities", "activity"),
    ),
    TargetField(
        "year_founded", _("Year founded"), kind="year",
        aliases=("year founded", "founded", "founding year", "year of foundation",
                 "annee de creation", "date de creation", "creation", "annee"),
    ),
    TargetField(
        "size_band", _("Size"), kind="size",
        aliases=("size", "employees", "headcount", "number of employees", "staff",
                 "taille", "effectif", "effectifs", "nombre de salaries", "salaries"),
    ),
)  # fmt: skip
FIELDS_BY_KEY = {f.key: f for f in FIELDS}
TERM_FIELDS = tuple(f.key for f in FIELDS if f.kind == "terms")

Mapping = dict[str, int]


def guess_mapping(headers: list[str]) -> Mapping:
    """Map each field to the first column whose header names it.

    Exact alias matches win over partial ones ("Pays" is the country; "Country of
    incorporation" is one too, if nothing says "country" exactly).
    """
    folded = [fold(header) for header in headers]
    mapping: Mapping = {}
    used: set[int] = set()
    for exact in (True, False):
        for target in FIELDS:
            if target.key in mapping:
                continue
            for index, header in enumerate(folded):
                if index in used or not header:
                    continue
                if _matches(header, target.aliases, exact):
                    mapping[target.key] = index
                    used.add(index)
                    break
    return mapping


def _matches(header: str, aliases: tuple[str, ...], exact: bool) -> bool:
    if exact:
        return header in aliases
    words = f" {header} "
    # Partial matches only for aliases of several letters, as whole words.
    return any(len(alias) >= 4 and f" {alias} " in words for alias in aliases)


def mapping_errors(mapping: Mapping, column_count: int) -> list[str]:
    """What makes a mapping unusable (checked again on every post: it is user input)."""
    from django.utils.translation import gettext

    errors = []
    if "title" not in mapping:
        errors.append(gettext("Choose the column that holds the names of the organisations."))
    for key, index in mapping.items():
        if key not in FIELDS_BY_KEY or not 0 <= index < column_count:
            errors.append(gettext("The mapping refers to an unknown field or column."))
            break
    if len(set(mapping.values())) != len(mapping):
        errors.append(gettext("A column can feed only one field."))
    return errors


def row_values(cells: list[str], mapping: Mapping) -> dict[str, str]:
    """The raw text of each mapped field in one row."""
    return {key: cells[index] for key, index in mapping.items() if index < len(cells)}
