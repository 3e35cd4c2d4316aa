"""The shared vocabulary, defined once: the taxonomy relations of a profile, the names
people give countries, and the legal forms that end organisation names.

Every app reads it from here: the cartography's filters (:mod:`cobioe_cms.actors.filters`),
news topics, watch interests and classification, the import's validation and
duplicate finder, and the test factories. A :class:`Facet` ties together what each
of them needs of one relation: the field name (the same on actor profiles, news
items, watch items and interest profiles), the taxonomy model, the key that names it
in URLs (``?stage=production``, ``topic/stage/production/``) and its labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import taxonomy


@dataclass(frozen=True)
class Facet:
    """One taxonomy relation of a profile.

    ``relation`` is the field name, ``url_key`` the query parameter or URL segment
    that names it, ``label`` its heading as a filter (one value) and ``plural`` its
    name as a field of the profile (a form field, an import column). ``many`` is
    False for the relations that hold one term (a foreign key).
    """

    relation: str
    model: type[taxonomy.TaxonomyTerm]
    url_key: str
    label: Promise
    plural: Promise
    many: bool = True


ORGANISATION_TYPE = Facet(
    "organisation_type", taxonomy.OrganisationType, "type", _("Organisation type"),
    _("Organisation type"), many=False,
)  # fmt: skip
STAGES = Facet(
    "stages", taxonomy.ValueChainStage, "stage", _("Value-chain stage"),
    _("Value-chain stages"),
)  # fmt: skip
MODALITIES = Facet(
    "modalities", taxonomy.Modality, "modality", _("Modality"), _("Modalities"),
)  # fmt: skip
THERAPEUTIC_AREAS = Facet(
    "therapeutic_areas", taxonomy.TherapeuticArea, "area", _("Therapeutic area"),
    _("Therapeutic areas"),
)  # fmt: skip
SERVICES = Facet(
    "services", taxonomy.Service, "service", _("Service"), _("Services"),
)  # fmt: skip
SCALES = Facet(
    "scales", taxonomy.Scale, "scale", _("Scale"), _("Scales"),
)  # fmt: skip
GMP_STATUS = Facet(
    "gmp_status", taxonomy.GMPStatus, "gmp", _("GMP status"), _("GMP status"), many=False,
)  # fmt: skip
EXPRESSION_SYSTEMS = Facet(
    "expression_systems", taxonomy.ExpressionSystem, "expression-system",
    _("Expression system"), _("Expression systems"),
)  # fmt: skip

# Every taxonomy relation of an actor profile, in the profile's order.
PROFILE_FACETS: tuple[Facet, ...] = (
    ORGANISATION_TYPE, STAGES, MODALITIES, THERAPEUTIC_AREAS, SERVICES, SCALES, GMP_STATUS,
    EXPRESSION_SYSTEMS,
)  # fmt: skip
FACETS_BY_RELATION = {facet.relation: facet for facet in PROFILE_FACETS}
# The profile's many-to-many links to taxonomies (exports, forms, search text, merges).
TERM_RELATIONS = tuple(facet.relation for facet in PROFILE_FACETS if facet.many)
# The relations news items, watch items and members' interests share with profiles.
TOPIC_FACETS: tuple[Facet, ...] = (STAGES, MODALITIES, THERAPEUTIC_AREAS)
TOPIC_RELATIONS = tuple(facet.relation for facet in TOPIC_FACETS)
# The relations an import file fills (besides the organisation type).
IMPORTED_FACETS: tuple[Facet, ...] = (STAGES, MODALITIES, THERAPEUTIC_AREAS, SERVICES)

# Names people write for a country that are not the ISO short names django-countries
# gives (English and French): code -> names as written. Readers fold them (no case,
# accents or punctuation) before comparing.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "AT": ("Österreich", "Oesterreich"),
    "BE": ("België",),
    "BY": ("Byelorussia",),
    "CH": ("Schweiz", "Suisse", "Svizzera"),
    "CZ": ("Czech Republic", "Tchéquie", "Česko"),
    "DE": ("Deutschland",),
    "DK": ("Danmark",),
    "ES": ("España",),
    "FI": ("Suomi",),
    "GB": (
        "UK",
        "Britain",
        "Great Britain",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
        "Grande-Bretagne",
        "Angleterre",
        "Écosse",
    ),  # fmt: skip
    "GR": ("Hellas",),
    "HU": ("Magyarország",),
    "IE": ("Éire",),
    "IT": ("Italia",),
    "MD": ("Moldavia",),
    "MK": ("Macedonia", "North Macedonia", "Macédoine du Nord"),
    "NL": ("Holland", "The Netherlands", "Hollande", "Nederland"),
    "NO": ("Norge",),
    "PL": ("Polska",),
    "SE": ("Sverige",),
    "TR": ("Turkey", "Turquie"),
    "VA": ("Vatican", "Holy See"),
}

# Legal forms across Europe (folded, dots removed): "Genopole SAS" is "Genopole".
LEGAL_FORMS = frozenset(
    {
        "sas", "sasu", "sarl", "sa", "eurl", "sca", "scop", "gie", "gmbh", "mbh", "ag",
        "kg", "ohg", "ug", "ltd", "limited", "plc", "llp", "llc", "inc", "corp", "co",
        "bv", "nv", "vzw", "asbl", "srl", "spa", "sl", "slu", "oy", "oyj", "ab", "as",
        "asa", "aps", "sro", "zrt", "kft", "doo", "ev", "eg", "se", "lda", "sp", "zoo",
        "ou",
    }
)  # fmt: skip
