"""Classify watch items on the taxonomies and link the actors they name.

The rules are data editors already edit: each taxonomy term's labels (English and
French) and its "keywords and synonyms" (``TaxonomyTerm.match_phrases``), the
countries' names in both languages, and the published actors' names and acronyms.
Everything is matched on folded text (no case, no accents, no punctuation) and on
whole words, so "mAb" does not match "mAbs-free" halfway through a word.

With 10,000 actors a regular expression per phrase would be far too slow. Phrases
are indexed by their first word instead, and an item's words are scanned once: each
word only looks at the few phrases that start with it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils import translation

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.countries import EUROPE, european_countries
from cobioe_cms.core.models import ValueChainStage
from cobioe_cms.core.text import fold
from cobioe_cms.core.vocabulary import COUNTRY_ALIASES, LEGAL_FORMS, TOPIC_FACETS

# Item field -> taxonomy model; the same three facets as actors and news.
TAXONOMY_FIELDS = {facet.relation: facet.model for facet in TOPIC_FACETS}
MIN_ACTOR_TITLE = 5
MIN_ACTOR_ACRONYM = 4
_PARENTHESES = re.compile(r"\(([^)]*)\)")


@dataclass
class Classification:
    """What an item is about: term ids per taxonomy field, country codes, actor ids."""

    stages: set[int] = field(default_factory=set)
    modalities: set[int] = field(default_factory=set)
    therapeutic_areas: set[int] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    actors: set[int] = field(default_factory=set)


def label_variants(phrase: str) -> Iterator[str]:
    """A label's usable forms: "Microbiome / live biotherapeutics" is two phrases, and
    "Antibody-drug conjugates (ADCs)" is both the words and the abbreviation."""
    for part in phrase.split(" / "):
        yield _PARENTHESES.sub(" ", part).strip()
        yield from (inner.strip() for inner in _PARENTHESES.findall(part))


def actor_variants(title: str, acronym: str) -> Iterator[str]:
    """The names an article uses for an actor: its title, the title without a
    trailing legal form ("Genopole SA" -> "Genopole"), its acronym."""
    folded = fold(title)
    if len(folded) >= MIN_ACTOR_TITLE:
        yield folded
        words = folded.split()
        if len(words) > 1 and words[-1] in LEGAL_FORMS:
            shorter = " ".join(words[:-1])
            if len(shorter) >= MIN_ACTOR_TITLE:
                yield shorter
    folded_acronym = fold(acronym)
    if len(folded_acronym) >= MIN_ACTOR_ACRONYM:
        yield folded_acronym


class PhraseIndex:
    """Folded phrases indexed by their first word, each pointing to a target
    (a (kind, value) pair such as ("modalities", 3) or ("actors", 120))."""

    def __init__(self) -> None:
        self._by_first_word: dict[str, set[tuple[tuple[str, ...], str, int | str]]] = defaultdict(
            set
        )

    def __len__(self) -> int:
        return sum(len(phrases) for phrases in self._by_first_word.values())

    def add(self, phrase: str, kind: str, value: int | str) -> None:
        words = tuple(fold(phrase).split())
        if words and len("".join(words)) >= 2:
            self._by_first_word[words[0]].add((words, kind, value))

    def find(self, words: list[str]) -> Iterator[tuple[str, int | str]]:
        """The targets of every phrase that occurs in ``words`` as whole words."""
        index = self._by_first_word
        for position, word in enumerate(words):
            for phrase, kind, value in index.get(word, ()):
                if len(phrase) == 1 or tuple(words[position : position + len(phrase)]) == phrase:
                    yield kind, value


class Classifier:
    """Built once per ingestion run (a few queries), then used for every item."""

    def __init__(self, index: PhraseIndex, stage_parents: dict[int, int] | None = None):
        self.index = index
        self.stage_parents = stage_parents or {}

    @classmethod
    def from_db(cls) -> Classifier:
        index = PhraseIndex()
        for kind, model in TAXONOMY_FIELDS.items():
            for term in model.objects.all():
                for phrase in term.match_phrases():
                    for variant in label_variants(phrase):
                        index.add(variant, kind, term.pk)
        for code, name in country_names():
            index.add(name, "countries", code)
        actors = ActorPage.objects.live().values_list("pk", "title", "acronym")
        for pk, title, acronym in actors.iterator(chunk_size=2000):
            for variant in actor_variants(title, acronym):
                index.add(variant, "actors", pk)
        parents = dict(
            ValueChainStage.objects.filter(parent__isnull=False).values_list("pk", "parent_id")
        )
        return cls(index, parents)

    def classify(self, text: str) -> Classification:
        result = Classification()
        for kind, value in self.index.find(fold(text).split()):
            getattr(result, kind).add(value)
        # A sub-stage implies its parent, as on actor profiles.
        result.stages |= {self.stage_parents[s] for s in result.stages if s in self.stage_parents}
        return result


def country_names() -> Iterable[tuple[str, str]]:
    """(code, name) for every mapped country, in English and French, with aliases."""
    for language in ("en", "fr"):
        with translation.override(language):
            for code in EUROPE:
                yield code, str(european_countries.name(code))
    for code, aliases in COUNTRY_ALIASES.items():
        for alias in aliases:
            yield code, alias
