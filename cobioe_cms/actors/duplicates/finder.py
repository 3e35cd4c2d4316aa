"""Finding organisations that are probably the same one: by name, website and place.

The platform's one duplicate finder: used by imports (each row against the existing
actors and the earlier rows of the file), by the admin's duplicate finder (actors
against each other) and by the suggestions a member sees while creating an
organisation (:func:`.profiles.similar_live_actors`, against an index of the live
profiles kept per process while none is published, unpublished or deleted). This module
is the matching alone; :mod:`.profiles` reads the actors it is given.

Names are compared after folding and removing legal forms and "and", so "Genopole SAS"
and "GENOPOLE" are the same name, and "Smith & Nephew" is "Smith and Nephew"; two
names of eight letters or more that differ by one letter are near-spellings. Words
weigh by their rarity (as in TF-IDF): "Biovec University Hospital" and "Vaxgen
University Hospital" share two common words and are different organisations, while
"Lyon Biologics" and "Lyon Biologic" differ by a typo.
Comparing every pair would be 20 million comparisons for 2,000 rows and 10,000 actors;
an in-memory index instead gives each name the candidates that share a rare word (give
or take one letter), its first or last letters, or its website domain.

A score out of 100: the name gives up to 80, the same website domain 15, the same city
in the same country 5. Pairs from :data:`THRESHOLD` up are proposed.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from cobioe_cms.core.text import fold
from cobioe_cms.core.vocabulary import LEGAL_FORMS

THRESHOLD = 68
NAME_POINTS, DOMAIN_POINTS, PLACE_POINTS = 80, 15, 5
CONTAINED_NAME_SIMILARITY = 0.85
WORD_SIMILARITY = 0.85  # two words this close (difflib ratio) count as the same word
WHOLE_NAME_SIMILARITY = 0.92  # "Geno pole" and "Genopole": words cut differently
# Names whose character pairs overlap (Dice) this much less than the similarity needed
# are not compared further: their words would not match either.
BIGRAM_MARGIN = 0.3
# Blocks larger than this (words like "bio" or "therapeutics") select too much to help.
MAX_BLOCK = 150
LEADING_WORDS = frozenset({"the", "la", "le", "les", "l"})
# "&" folds away: "and" (or "et", "und") goes too, so "Smith & Nephew" is "Smith and Nephew".
CONNECTORS = frozenset({"and", "et", "und"})
# Two names this long that differ by one letter (one added, missing, changed or two
# swapped) are near-spellings, whatever the words: "Cellvec Bjo" is "Cellvec Bio".
TYPO_MIN_LENGTH = 8
TYPO_SIMILARITY = 0.9
# Domains that many unrelated organisations share (hosting, webmail, social networks).
SHARED_DOMAINS = frozenset(
    {"linkedin.com", "facebook.com", "google.com", "sites.google.com", "wixsite.com",
     "gmail.com", "github.io", "wordpress.com", "twitter.com", "x.com"}
)  # fmt: skip

Key = int


def normalise_name(name: str) -> str:
    """Folded name without legal forms: "Genopole S.A.S." -> "genopole"."""
    words: list[str] = []
    in_letter_run = False
    for word in fold(name).split():
        if word in CONNECTORS:
            in_letter_run = False
            continue
        # "S.A.S." folds to "s a s": a run of single letters is one word cut by dots.
        if len(word) == 1 and word.isalpha():
            if in_letter_run:
                words[-1] += word
                continue
            in_letter_run = True
        else:
            in_letter_run = False
        words.append(word)
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    while len(words) > 1 and words[0] in LEGAL_FORMS | LEADING_WORDS:
        words.pop(0)
    return " ".join(words)


def website_domain(url: str) -> str:
    """The host of a website without "www.": "https://www.genopole.fr/x" -> "genopole.fr"."""
    url = (url or "").strip().lower()
    if not url:
        return ""
    if "://" not in url:
        url = f"http://{url}"
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    host = host.removeprefix("www.")
    return "" if host in SHARED_DOMAINS else host


class Entity:
    """Something that may have a duplicate: an actor (``key`` its page id) or a row of
    a file (``key`` its index), with what comparisons need computed once."""

    __slots__ = (
        "key", "title", "city", "norm", "tokens", "sorted_norm", "compact", "_bigrams",
        "domain", "place", "_keys",
    )  # fmt: skip

    def __init__(self, key: Key, title: str, website="", city="", country=""):
        self.key, self.title, self.city = key, title, city or ""
        self.norm = normalise_name(title)
        self.tokens = frozenset(self.norm.split())
        self.sorted_norm = " ".join(sorted(self.tokens))
        self.compact = self.norm.replace(" ", "")
        self._bigrams: frozenset[str] | None = None
        self.domain = website_domain(website)
        folded_city = fold(self.city)
        self.place = (folded_city, (country or "").upper()) if folded_city else ("", "")
        self._keys: list[str] | None = None

    @property
    def bigrams(self) -> frozenset[str]:
        """The name's pairs of letters (computed when first compared: a kept index of
        10,000 names compares few of them)."""
        if self._bigrams is None:
            compact = self.compact
            self._bigrams = frozenset(compact[i : i + 2] for i in range(len(compact) - 1))
        return self._bigrams

    def block_keys(self) -> list[str]:
        """The index blocks this entity belongs to (computed once)."""
        if self._keys is None:
            self._keys = self._block_keys()
        return self._keys

    def _block_keys(self) -> list[str]:
        keys = [f"n:{self.compact}"] if self.compact else []
        if len(self.compact) >= 4:
            keys += [f"p:{self.compact[:4]}", f"s:{self.compact[-4:]}"]
        for token in self.tokens:
            if len(token) >= 3:
                keys.append(f"t:{token}")
            if len(token) >= 5:
                # The word less one letter, in the same key space as whole words: a
                # typo (a letter added, missing, changed or swapped) shares a key.
                keys += [f"t:{token[:i]}{token[i + 1 :]}" for i in range(len(token))]
        if self.domain:
            keys.append(f"d:{self.domain}")
        return keys


class WordWeights:
    """Inverse document frequency of the words of a set of names: rare words weigh
    more. Unknown words count as rare."""

    def __init__(self, token_sets: Iterable[frozenset[str]] = ()):
        self.frequency: Counter[str] = Counter()
        self.count = 0
        for tokens in token_sets:
            self.frequency.update(tokens)
            self.count += 1
        self._cache: dict[str, float] = {}
        self._names: dict[str, float] = {}

    def __call__(self, word: str) -> float:
        weight = self._cache.get(word)
        if weight is None:
            weight = math.log(1 + max(self.count, 1) / max(self.frequency.get(word, 0), 1))
            self._cache[word] = weight
        return weight

    def is_rare(self, word: str) -> bool:
        """In at most 3 names, or 0.2 % of them."""
        return self.frequency.get(word, 0) <= max(3, self.count // 500)

    def of(self, entity: Entity) -> float:
        """The weight of all the words of a name."""
        weight = self._names.get(entity.sorted_norm)
        if weight is None:
            weight = self._names[entity.sorted_norm] = sum(map(self, entity.tokens))
        return weight


@lru_cache(maxsize=100_000)
def _word_similarity(a: str, b: str) -> float:
    if min(len(a), len(b)) < 4 or 2 * min(len(a), len(b)) / (len(a) + len(b)) < WORD_SIMILARITY:
        return 0.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    return ratio if ratio >= WORD_SIMILARITY else 0.0


def name_similarity(a: Entity, b: Entity, weights: WordWeights, needed: float = 0.0) -> float:
    """Between 0 and 1: the share of the words' weight the two names have in common
    (words matching exactly or nearly), raised for word order, words cut differently
    and one name contained in the other. Below ``needed`` it may be reported as 0."""
    if a.norm == b.norm or a.sorted_norm == b.sorted_norm:
        return 1.0 if a.norm else 0.0
    pairs = len(a.bigrams) + len(b.bigrams)
    if pairs and 2 * len(a.bigrams & b.bigrams) / pairs < needed - BIGRAM_MARGIN:
        return 0.0
    shared = a.tokens & b.tokens
    weight_a, weight_b = weights.of(a), weights.of(b)
    matched = 2 * sum(weights(t) for t in shared)
    rest_b = set(b.tokens - shared)
    for word in a.tokens - shared:
        best, best_other = 0.0, None
        for other in rest_b:
            similarity = _word_similarity(word, other)
            if similarity > best:
                best, best_other = similarity, other
        if best_other is not None:
            matched += best * (weights(word) + weights(best_other))
            rest_b.discard(best_other)
    similarity = matched / (weight_a + weight_b) if weight_a + weight_b else 0.0
    small, large = sorted((a.tokens, b.tokens), key=len)
    if small < large and any(len(word) >= 4 and weights.is_rare(word) for word in small):
        # "Genopole" in "Genopole Biocluster"; not "University Hospital" in "Biovec
        # University Hospital": the shorter name must have a rare word of its own.
        similarity = max(similarity, CONTAINED_NAME_SIMILARITY)
    if similarity < WHOLE_NAME_SIMILARITY and len(a.tokens) != len(b.tokens):
        whole = SequenceMatcher(None, a.compact, b.compact, autojunk=False)
        if whole.real_quick_ratio() >= WHOLE_NAME_SIMILARITY and whole.ratio() >= (
            WHOLE_NAME_SIMILARITY
        ):
            similarity = max(similarity, whole.ratio())
    if similarity < TYPO_SIMILARITY and one_typo_apart(a.compact, b.compact):
        similarity = TYPO_SIMILARITY
    return similarity


def one_typo_apart(a: str, b: str) -> bool:
    """The two words differ by one letter added, missing or changed, or by two
    neighbouring letters swapped (not by a digit: "Lab 1" is not "Lab 2"); both are
    at least :data:`TYPO_MIN_LENGTH` long."""
    if a == b or min(len(a), len(b)) < TYPO_MIN_LENGTH or abs(len(a) - len(b)) > 1:
        return False
    i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    if len(a) != len(b):
        longer, shorter = (a, b) if len(a) > len(b) else (b, a)
        return longer[i].isalpha() and longer[i + 1 :] == shorter[i:]
    if a[i + 1 :] == b[i + 1 :]:
        return a[i].isalpha() and b[i].isalpha()
    swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i]
    return swapped and a[i : i + 2].isalpha() and a[i + 2 :] == b[i + 2 :]


def compare(
    candidate: Entity, entity: Entity, weights: WordWeights
) -> tuple[int, list[str]] | None:
    """The score of ``candidate`` as a duplicate of ``entity`` and its reasons, or None
    when below the threshold."""
    same_domain = bool(entity.domain) and entity.domain == candidate.domain
    same_place = bool(entity.place[0]) and entity.place == candidate.place
    bonus = DOMAIN_POINTS * same_domain + PLACE_POINTS * same_place
    needed = (THRESHOLD - bonus - 0.5) / NAME_POINTS
    similarity = name_similarity(candidate, entity, weights, needed)
    score = round(NAME_POINTS * similarity) + bonus
    if score < THRESHOLD:
        return None
    if similarity == 1.0:
        reasons = [_("same name")]
    else:
        reasons = [_("similar name (%(percent)d %%)") % {"percent": round(similarity * 100)}]
    if same_domain:
        reasons.append(_("same website (%(domain)s)") % {"domain": entity.domain})
    if same_place:
        reasons.append(_("same city (%(city)s)") % {"city": candidate.city})
    return min(score, 100), reasons


@dataclass
class Match:
    key: Key
    title: str
    score: int
    reasons: list[str]


class DuplicateIndex:
    """Entities by block key; :meth:`matches` compares one with its block-mates.

    ``weights`` should know every name that will be compared (the actors and the
    file's rows), so that a word's rarity is the same for every comparison.
    """

    def __init__(self, entities: Iterable[Entity] = (), weights: WordWeights | None = None):
        self.entities: dict[Key, Entity] = {}
        self.blocks: dict[str, list[Key]] = defaultdict(list)
        for entity in entities:
            self.add(entity)
        self.weights = weights or WordWeights(e.tokens for e in self.entities.values())

    def add(self, entity: Entity) -> None:
        self.entities[entity.key] = entity
        for key in entity.block_keys():
            self.blocks[key].append(entity.key)

    def candidate_keys(self, entity: Entity) -> set[Key]:
        found: set[Key] = set()
        for key in entity.block_keys():
            block = self.blocks.get(key, ())
            if len(block) <= MAX_BLOCK or key[0] in "nd":
                found.update(block)
        found.discard(entity.key)
        return found

    def matches(self, entity: Entity, limit: int = 3, keys: Iterable[Key] | None = None):
        """The best ``limit`` matches, best first (equal scores: lowest key first)."""
        if not entity.norm:
            return []
        found = []
        for key in keys if keys is not None else self.candidate_keys(entity):
            candidate = self.entities[key]
            result = compare(candidate, entity, self.weights)
            if result:
                found.append(Match(key, candidate.title, *result))
        found.sort(key=lambda m: (-m.score, m.key))
        return found[:limit]


def duplicate_pairs(entities: Iterable[Entity]) -> list[tuple[int, Entity, Entity, list[str]]]:
    """Every pair of entities scoring from the threshold up, best first."""
    index = DuplicateIndex(entities)
    pairs = []
    for entity in index.entities.values():
        later = [k for k in index.candidate_keys(entity) if k > entity.key]
        for match in index.matches(entity, limit=len(later), keys=later):
            pairs.append((match.score, entity, index.entities[match.key], match.reasons))
    pairs.sort(key=lambda p: (-p[0], p[1].title.lower(), p[1].key, p[2].key))
    return pairs
