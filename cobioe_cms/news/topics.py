"""Topics: how a news item is linked to the shared vocabulary.

A topic is a (kind, value) pair that appears in URLs (``topic/stage/production/``):
the kind says which taxonomy (the facets' URL keys of :mod:`cobioe_cms.core.vocabulary`,
or "country"), the value is a term's slug or a country's ISO code. One registry here
serves the models (querying), the archives (headings, 404s) and the feeds (categories),
so the three agree on what "news about X" means.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cobioe_cms.core.countries import country_name, is_known_country
from cobioe_cms.core.models import TaxonomyTerm
from cobioe_cms.core.vocabulary import TOPIC_FACETS


@dataclass(frozen=True)
class TopicKind:
    """One kind of topic: its URL key, the NewsPage field holding it, its taxonomy."""

    key: str
    field: str
    label: Promise
    model: type[TaxonomyTerm] | None  # None: countries (ISO codes, no table)


TOPIC_KINDS: dict[str, TopicKind] = {
    kind.key: kind
    for kind in (
        *(TopicKind(f.url_key, f.relation, f.label, f.model) for f in TOPIC_FACETS),
        TopicKind("country", "countries", _("Country"), None),
    )
}


@dataclass(frozen=True)
class Topic:
    """A resolved topic: what a news item is about, with its label in the active language."""

    kind: str
    value: str
    label: str

    @classmethod
    def of_term(cls, kind: str, term: TaxonomyTerm) -> Topic:
        return cls(kind, term.slug, term.label)

    @classmethod
    def of_country(cls, code: str) -> Topic:
        return cls("country", code, country_name(code))


def normalise_value(kind: str, value: str) -> str:
    """Country codes are upper case in the database; slugs are taken as they come."""
    return value.upper() if kind == "country" else value


def resolve_topic(kind: str, value: str) -> Topic | None:
    """The topic a URL names, or None when the kind or the value is unknown."""
    topic_kind = TOPIC_KINDS.get(kind)
    if topic_kind is None:
        return None
    value = normalise_value(kind, value)
    if topic_kind.model is None:
        return Topic.of_country(value) if is_known_country(value) else None
    term = topic_kind.model.objects.filter(slug=value).first()
    return Topic.of_term(kind, term) if term else None
