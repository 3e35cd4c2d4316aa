"""One understanding of a search query for the whole site.

Texts that are searched (an actor's name, its taxonomy labels, its summary) and the
queries typed against them go through the same analysis:

1. **folding** (:func:`.text.fold`): case, accents and punctuation ignored, so
   "genopole" finds "Génopole" and "fill-finish" is "fill finish";
2. **stop words** of English and French dropped ("fill *and* finish", "thérapies *de*…");
3. **stemming** in English *and* French (the Snowball algorithms, the ones the search
   cluster's stemmers implement): each word stands for its two stems, so "vaccine",
   "vaccines" and "vaccins" meet on ``vaccin`` and "monoclonaux" meets "monoclonal".

An analysed text is a *token string*: its distinct stems between spaces,
``" cell cel therapi therap "``, which a database matches with ``LIKE '% stem %'``
(identically on SQLite and PostgreSQL) and the cluster with ``term`` queries on a
whitespace-tokenised field, so both backends answer the same question.

A query is understood (:func:`understand`) as a list of *concepts*, every one of which
must be found. A concept is usually one word; a span of words that is one expression of
a synonym group (:class:`~cobioe_cms.core.models.SearchSynonym`, editable beside the
taxonomies: "mAb" = "monoclonal antibody" = "anticorps monoclonal") becomes one concept
whose alternatives are every expression of the group. A word the visitor typed also
matches the words it begins ("bio" finds "biologics"); the expressions of synonym groups
match whole words only, so "CRO" does not find "Crohn".

Small typos are forgiven by :func:`closest_word`: a query that finds nothing is
retried with its unknown words replaced by the closest known ones ("vacine" →
"vaccine"), and the page says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .text import fold

MAX_CONCEPTS = 8
# A typed word this long or longer also finds the words it begins.
PREFIX_MIN_LENGTH = 3

_ENGLISH_STOP_WORDS = "a an and are as at be by for from in into is it of on or the to with without"
# After folding: "à" is "a", "où" is "ou".
_FRENCH_STOP_WORDS = "au aux avec d dans de des du en et l la le les ou par pour sans sur un une"
STOP_WORDS = frozenset(_ENGLISH_STOP_WORDS.split()) | frozenset(_FRENCH_STOP_WORDS.split())

_english = Stemmer.Stemmer("english")
_french = Stemmer.Stemmer("french")


@lru_cache(maxsize=100_000)
def stem_pair(word: str) -> tuple[str, str]:
    """The English and the French stem of a folded word. Numbers and words of one or
    two letters (acronyms' letters: "F&F", "DS/DP") stay as they are."""
    if len(word) <= 2 or not word.isalpha():
        return (word, word)
    return (_english.stemWord(word), _french.stemWord(word))


def stems(word: str) -> tuple[str, ...]:
    """The distinct stems of a folded word (one when both languages agree)."""
    english, french = stem_pair(word)
    return (english,) if english == french else (english, french)


def pair_tokens(first: str, second: str) -> tuple[str, ...]:
    """The tokens of two adjacent words ("cell therapies" -> ``cell_therapi``, and
    ``cel_therap`` in French stems): what phrases are matched by."""
    (english_1, french_1), (english_2, french_2) = stem_pair(first), stem_pair(second)
    return tuple(dict.fromkeys((f"{english_1}_{english_2}", f"{french_1}_{french_2}")))


def words(text: str) -> list[str]:
    """The folded words of ``text`` that carry meaning (stop words dropped)."""
    return [word for word in fold(text).split() if word not in STOP_WORDS]


def token_string(texts: Iterable[str]) -> str:
    """The distinct stems of ``texts``, and the pair tokens of their adjacent words
    (:func:`pair_tokens`; stop words do not separate words: "fill and finish" holds
    ``fill_finish``), between single spaces, with a space at each end (so that every
    token, the first and last included, is matched as ``" token "``)."""
    found: dict[str, None] = {}
    for text in texts:
        meaningful = words(text or "")
        for word in meaningful:
            for stem in stems(word):
                found[stem] = None
        for first, second in zip(meaningful, meaningful[1:], strict=False):
            for token in pair_tokens(first, second):
                found[token] = None
    return f" {' '.join(found)} " if found else ""


# -- queries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """One word to find: any of ``stems`` as a whole token, or (``prefix``) a token that
    begins with the folded word itself."""

    text: str
    stems: tuple[str, ...]
    prefix: bool = False

    def exact_tokens(self) -> tuple[str, ...]:
        return self.stems

    def prefix_token(self) -> str | None:
        return self.text if self.prefix and len(self.text) >= PREFIX_MIN_LENGTH else None


def phrase_pairs(alternative: Sequence[Word]) -> list[tuple[str, ...]]:
    """For an expression of several words: the pair tokens of each two adjacent words,
    all of which a text must hold (a phrase); for a single word: none."""
    return [pair_tokens(a.text, b.text) for a, b in zip(alternative, alternative[1:], strict=False)]


@dataclass(frozen=True)
class Concept:
    """Something the visitor asked for: found when one of its ``alternatives`` is (a
    word, or an expression of several words found as a phrase: :func:`phrase_pairs`).
    ``typed`` is what the visitor wrote for it."""

    typed: str
    alternatives: tuple[tuple[Word, ...], ...]


@dataclass(frozen=True)
class UnderstoodQuery:
    """``concepts`` must all be found; ``phrase`` (every word typed, in order, when
    there are several) ranks higher the texts that hold them as a phrase."""

    text: str
    concepts: tuple[Concept, ...]
    phrase: tuple[Word, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.concepts)

    @property
    def words(self) -> list[str]:
        return [concept.typed for concept in self.concepts]


def _typed_word(word: str) -> Word:
    return Word(word, stems(word), prefix=True)


def _expression(expression: str) -> tuple[Word, ...]:
    return tuple(Word(word, stems(word)) for word in words(expression))


@dataclass(frozen=True)
class SynonymGroups:
    """Synonym groups prepared for matching: every expression as its words' stems."""

    expressions: tuple[tuple[tuple[Word, ...], int], ...]  # (expression, group index)
    groups: tuple[tuple[tuple[Word, ...], ...], ...]

    @classmethod
    def build(cls, groups: Iterable[tuple[Sequence[str], bool]]) -> SynonymGroups:
        """``groups``: (expressions, one_way). In a one-way group only the first
        expression (the name) is looked for in queries; it finds all the others."""
        prepared: list[tuple[tuple[Word, ...], ...]] = []
        indexed: list[tuple[tuple[Word, ...], int]] = []
        for group, one_way in groups:
            # Expressions that analyse alike ("viral vector", "viral vectors") once.
            expressions: dict[tuple, tuple[Word, ...]] = {}
            for text in group:
                expression = _expression(text or "")
                key = tuple(word.stems for word in expression)
                if expression and key not in expressions:
                    expressions[key] = expression
            if len(expressions) > 1:
                found = tuple(expressions.values())
                indexed.extend((e, len(prepared)) for e in (found[:1] if one_way else found))
                prepared.append(found)
        # Longest expressions first: "monoclonal antibody" wins over "antibody".
        indexed.sort(key=lambda item: -len(item[0]))
        return cls(tuple(indexed), tuple(prepared))

    def match_at(self, query: Sequence[str], start: int) -> tuple[int, int] | None:
        """(group, length) of the longest expression starting at ``query[start]``."""
        for expression, group in self.expressions:
            end = start + len(expression)
            if end <= len(query) and all(
                set(stems(query[start + i])) & set(word.stems) for i, word in enumerate(expression)
            ):
                return group, len(expression)
        return None


NO_SYNONYMS = SynonymGroups((), ())


def understand(text: str, synonyms: SynonymGroups = NO_SYNONYMS) -> UnderstoodQuery:
    """The concepts of a query, in the order typed (at most :data:`MAX_CONCEPTS`)."""
    query = words(text)
    concepts: list[Concept] = []
    position = 0
    while position < len(query) and len(concepts) < MAX_CONCEPTS:
        found = synonyms.match_at(query, position)
        if found:
            group, length = found
            typed = " ".join(query[position : position + length])
            concept = Concept(typed, synonyms.groups[group])
            position += length
        else:
            word = query[position]
            concept = Concept(word, ((_typed_word(word),),))
            position += 1
        if concept not in concepts:  # "vaccine vaccine" asks for one thing
            concepts.append(concept)
    phrase = tuple(Word(word, stems(word)) for word in query) if len(query) > 1 else ()
    return UnderstoodQuery(text, tuple(concepts), phrase)


def whole_words(query: UnderstoodQuery) -> UnderstoodQuery:
    """``query`` with every word matched whole (no "bio" for "biologics"): for texts
    searched by a backend that cannot match a word's beginning as the database does
    (Wagtail's cluster backend for news and pages), so that both backends agree."""
    from dataclasses import replace

    def whole(alternative: tuple[Word, ...]) -> tuple[Word, ...]:
        return tuple(replace(word, prefix=False) for word in alternative)

    concepts = tuple(
        replace(concept, alternatives=tuple(whole(a) for a in concept.alternatives))
        for concept in query.concepts
    )
    return replace(query, concepts=concepts, phrase=whole(query.phrase))


def word_in_tokens(word: Word, padded: str) -> bool:
    prefix = word.prefix_token()
    return any(f" {stem} " in padded for stem in word.exact_tokens()) or (
        prefix is not None and f" {prefix}" in padded
    )


def alternative_in_tokens(alternative: Sequence[Word], padded: str) -> bool:
    if len(alternative) == 1:
        return word_in_tokens(alternative[0], padded)
    return all(any(f" {token} " in padded for token in pair) for pair in phrase_pairs(alternative))


def concept_in_tokens(concept: Concept, tokens: str) -> bool:
    """Does a token string hold ``concept``? (What the backends' conditions test.)"""
    padded = tokens if tokens.startswith(" ") else f" {tokens} "
    return any(alternative_in_tokens(a, padded) for a in concept.alternatives)


# -- typos -----------------------------------------------------------------------------


def max_typos(word: str) -> int:
    """Edits forgiven in a word: none below 4 letters (acronyms), one up to 6, then two."""
    if len(word) < 4:
        return 0
    return 1 if len(word) <= 6 else 2


def closest_word(word: str, vocabulary: Mapping[str, int]) -> str | None:
    """The known word nearest to ``word`` within :func:`max_typos` edits (the most
    frequent among equally near ones), or None. ``vocabulary``: word -> frequency."""
    limit = max_typos(word)
    if not limit or word in vocabulary:
        return None
    candidates = process.extract(
        word, vocabulary.keys(), scorer=Levenshtein.distance, score_cutoff=limit, limit=None
    )
    if not candidates:
        return None
    best = min(candidates, key=lambda c: (c[1], -vocabulary[c[0]], c[0]))
    return best[0]


def corrected_query(text: str, vocabulary: Mapping[str, int]) -> str | None:
    """``text`` with each unknown word replaced by the closest known one, or None when
    no word could be corrected."""
    corrected, changed = [], False
    for word in fold(text).split():
        replacement = None if word in STOP_WORDS else closest_word(word, vocabulary)
        corrected.append(replacement or word)
        changed = changed or replacement is not None
    return " ".join(corrected) if changed else None


def vocabulary_of(texts: Iterable[str]) -> dict[str, int]:
    """Word -> how many of ``texts`` hold it (stop words and one-letter words left out)."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in set(words(text or "")):
            if len(word) > 1:
                counts[word] = counts.get(word, 0) + 1
    return counts


# -- folded (unstemmed) text -------------------------------------------------------------


def folded_text_condition(query: UnderstoodQuery, field: str):
    """A database condition: ``field`` (folded text, :func:`.text.fold`, not analysed)
    holds every concept of ``query``, each word as a word beginning with one of its
    stems ("vaccin" begins "vaccines" and "vaccins"; "monoclon" begins "monoclonaux")."""
    from django.db.models import Q

    def word_condition(word: Word) -> Q:
        condition = Q()
        for stem in {*word.stems, word.text}:
            condition |= Q(**{f"{field}__startswith": stem})
            condition |= Q(**{f"{field}__contains": f" {stem}"})
        return condition

    condition = Q()
    for concept in query.concepts:
        any_alternative = Q()
        for alternative in concept.alternatives:
            every_word = Q()
            for word in alternative:
                every_word &= word_condition(word)
            any_alternative |= every_word
        condition &= any_alternative
    return condition
