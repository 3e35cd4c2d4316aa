"""A deterministic import file of realistic size, for the scale test and the benchmark.

``scenario(existing, rows=2000, ...)`` returns the rows of a file in which 10 % of the
rows are near-duplicates of existing actors (upper case, legal form added, word order,
a typo, "The" in front...), 5 % are invalid (no name, unknown country, bad e-mail or web
address, impossible year), and the rest are new organisations whose names are checked
not to look like any existing actor or other row (with the same engine the import
uses, so that the expected counts are exact).
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter, defaultdict
from functools import cache

from cobioe_cms.actors.duplicates.finder import Entity, WordWeights, compare, normalise_name

HEADER = [
    "Nom", "Type", "Site web", "Courriel", "Ville", "Pays", "Chaîne de valeur",
    "Modalités", "Année de création", "Effectif",
]  # fmt: skip
SYLLABLES = (
    "ka", "lo", "mi", "ra", "te", "su", "no", "vi", "da", "re", "po", "zu", "fe", "ti",
    "qua", "bre", "sto", "gla", "mur", "del", "xan", "yor", "wen", "hul", "pri", "ost",
)  # fmt: skip
KINDS = ("Biologics", "Therapeutics", "Biotech", "Laboratories", "Manufacturing", "Institute")
PLACES = (
    ("Lyon", "France"), ("Évry", "FR"), ("Berlin", "Allemagne"), ("München", "DE"),
    ("Lisboa", "Portugal"), ("Porto", "PT"), ("Gent", "Belgique"), ("Leiden", "NL"),
    ("Basel", "Suisse"), ("Milano", "Italie"), ("Barcelona", "Espagne"), ("Cork", "IE"),
)  # fmt: skip
TYPES = ("company", "CDMO / CMO", "Laboratoire académique", "cro", "Centre de formation")
STAGES = ("production", "Recherche et développement", "fill-finish | quality-control", "")
MODALITIES = ("Vaccins", "monoclonal-antibodies", "Cell therapies; mRNA & nucleic acids", "")
LEGAL_FORMS = ("SAS", "GmbH", "Ltd", "S.A.", "B.V.", "SpA", "AB", "Oy")


def _word(rnd: random.Random) -> str:
    return "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(3, 4))).capitalize()


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def near_duplicate(title: str, rnd: random.Random) -> str:
    """A way people write the same organisation's name differently."""
    words = title.split()
    variants = [
        lambda: f"{title.upper()} {rnd.choice(LEGAL_FORMS)}",
        lambda: f"{title.lower()} {rnd.choice(LEGAL_FORMS)}",
        lambda: f"The {title}",
        lambda: " ".join(reversed(words)) if len(words) > 1 else f"{title} SA",
        lambda: _strip_accents(title).replace(" ", "-"),
    ]
    longest = max(words, key=len)
    if len(longest) >= 7:
        # One letter doubled in the longest word: "Kalomira" -> "Kalommira".
        at = len(longest) // 2
        typo = longest[:at] + longest[at] + longest[at:]
        variants.append(lambda: title.replace(longest, typo, 1))
    return rnd.choice(variants)()


def fresh_names(count: int, taken: list[str], seed: int) -> list[str]:
    """``count`` new names that look neither like ``taken`` nor like each other.

    Checked with the engine's ``compare`` against every name whose first word shares
    many letter pairs with this one's (the second word is one of a few kinds), not
    through an index's blocks: which candidates an index scans depends on what it
    holds, and the expected counts must be exact.
    """
    rnd = random.Random(seed)
    known: list[Entity] = []
    postings: dict[str, list[int]] = defaultdict(list)
    weights = WordWeights()

    def looks_known(entity: Entity) -> bool:
        pairs = _first_word_pairs(entity.title)
        shared = Counter(i for pair in pairs for i in postings.get(pair, ()))
        for i, common in shared.items():
            other = known[i]
            close = 2 * common >= 0.4 * (len(pairs) + len(_first_word_pairs(other.title)))
            if close and compare(other, entity, weights) is not None:
                return True
        return False

    def add(entity: Entity) -> None:
        for pair in _first_word_pairs(entity.title):
            postings[pair].append(len(known))
        known.append(entity)

    for name in taken:
        add(Entity(0, name))
    names: list[str] = []
    while len(names) < count:
        name = f"{_word(rnd)} {rnd.choice(KINDS)}"
        entity = Entity(0, name)
        if not looks_known(entity):
            add(entity)
            names.append(name)
    return names


@cache
def _first_word_pairs(title: str) -> frozenset[str]:
    word = normalise_name(title).split(" ")[0]
    return frozenset(word[i : i + 2] for i in range(len(word) - 1))


def scenario(
    existing: list[tuple[str, str, str]], rows=2000, duplicates=0.10, invalid=0.05, seed=1
):
    """(header, rows, expected report counts, titles of the actors rows duplicate).
    ``existing``: (title, city, country code) of existing actors."""
    rnd = random.Random(seed)
    n_duplicates, n_invalid = round(rows * duplicates), round(rows * invalid)
    n_fresh = rows - n_duplicates - n_invalid
    names = fresh_names(n_fresh + n_invalid, [title for title, *_place in existing], seed)
    out = []
    for name in names[:n_fresh]:
        city, country = rnd.choice(PLACES)
        domain = f"{_strip_accents(name).lower().replace(' ', '-')}.example"
        out.append(
            [
                name, rnd.choice(TYPES), f"www.{domain}", f"contact@{domain}", city, country,
                rnd.choice(STAGES), rnd.choice(MODALITIES), str(rnd.randint(1950, 2024)),
                rnd.choice(("1-9", "10-49", "120", "")),
            ]
        )  # fmt: skip
    targets = rnd.sample(existing, n_duplicates)
    for title, city, country in targets:
        out.append(
            [near_duplicate(title, rnd), "", "", "", city, country, rnd.choice(STAGES), "", "", ""]
        )
    broken = [
        lambda r: r.__setitem__(0, ""),
        lambda r: r.__setitem__(5, "Atlantis"),
        lambda r: r.__setitem__(3, "contact-at-nowhere"),
        lambda r: r.__setitem__(2, "http://"),
        lambda r: r.__setitem__(8, "12345"),
    ]
    for number, name in enumerate(names[n_fresh:]):
        row = [name, "company", "", "", "Lyon", "France", "", "", "", ""]
        broken[number % len(broken)](row)
        out.append(row)
    rnd.shuffle(out)
    expected = {"created": n_fresh, "merged": n_duplicates, "skipped": 0, "invalid": n_invalid}
    return HEADER, out, expected, {title for title, *_place in targets}
