"""The finder's rules for near-spellings and "&": what the suggestions, the import
and the admin's duplicate finder all count as the same name (the labelled set through
the suggestions is ``tests/members/test_duplicate_suggestions.py``)."""

import pytest

from cobioe_cms.actors.duplicates.finder import (
    THRESHOLD,
    Entity,
    WordWeights,
    compare,
    normalise_name,
    one_typo_apart,
)


def score(a: Entity, b: Entity) -> int:
    result = compare(a, b, WordWeights([a.tokens, b.tokens]))
    return result[0] if result else 0


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("Smith & Nephew", "smith nephew"),
        ("Smith and Nephew", "smith nephew"),
        ("Bioprocédés et Santé", "bioprocedes sante"),
        ("A and B", "a b"),
    ],
)
def test_and_is_the_ampersand(name, normal):
    assert normalise_name(name) == normal


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("cellvecbio", "cellvecbjo", True),  # changed
        ("cellvecbio", "cellvecbo", True),  # missing
        ("cellvecbio", "cellvecbiio", True),  # added
        ("cellvecbio", "celvlecbio", True),  # swapped
        ("cellvecbio", "cellvecbio", False),  # the same
        ("cellvecbio", "cellvexbjo", False),  # two letters
        ("pagedorg010", "pagedorg100", False),  # digits are not typos
        ("pagedorg001", "pagedorg002", False),
        ("biogenx", "biogeny", False),  # too short to tell
    ],
)
def test_one_typo_apart(a, b, near):
    assert one_typo_apart(a, b) is near
    assert one_typo_apart(b, a) is near


def test_a_typo_in_a_short_word_is_a_near_spelling():
    assert score(Entity(1, "Cellvec Bio"), Entity(2, "Cellvec Bjo")) >= THRESHOLD
    assert score(Entity(1, "Biogen Therapeutics"), Entity(2, "Biogem Therapeutics")) >= THRESHOLD
    assert score(Entity(1, "Genris Lab 1"), Entity(2, "Genris Lab 2")) < THRESHOLD
