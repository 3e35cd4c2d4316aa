"""The one understanding of a query (:mod:`cobioe_cms.core.analysis`), as pure logic:
folding, stop words, English and French stems, token strings, synonym groups, prefixes
and typo correction. No database: the synonym groups are built from literals, or from
the seed file the loader reads."""

import json

import pytest

from cobioe_cms.core.analysis import (
    MAX_CONCEPTS,
    STOP_WORDS,
    SynonymGroups,
    closest_word,
    concept_in_tokens,
    corrected_query,
    max_typos,
    stems,
    token_string,
    understand,
    vocabulary_of,
    words,
)
from cobioe_cms.core.taxonomy_loader import TAXONOMIES_FILE
from cobioe_cms.core.text import fold

# A few groups as editors keep them (see cobioe_cms/core/fixtures/taxonomies.json).
GROUPS = SynonymGroups.build(
    [
        (["mAb", "monoclonal antibody", "anticorps monoclonal"], False),
        (["antibody", "Ab", "anticorps"], False),
        (["F&F", "fill and finish", "fill-finish", "remplissage aseptique"], False),
        (["CRO", "contract research organisation"], False),
        (["ATMP", "cell therapy", "gene therapy"], True),
    ]
)


def seeded_groups() -> SynonymGroups:
    data = json.loads(TAXONOMIES_FILE.read_text())
    return SynonymGroups.build(
        ([entry["name"], *entry["expressions"]], entry.get("one_way", False))
        for entry in data["synonyms"]
    )


def finds(query: str, text: str, groups: SynonymGroups = GROUPS) -> bool:
    """Does ``query`` find a profile whose only text is ``text``? (Every concept must be
    in its token string, as the backends' conditions ask.)"""
    understood = understand(query, groups)
    tokens = token_string([text])
    return bool(understood) and all(concept_in_tokens(c, tokens) for c in understood.concepts)


# -- folding, stop words, stems -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Génopole", "genopole"),
        ("ÉVRY-Courcouronnes", "evry courcouronnes"),
        ("Thérapies  cellulaires", "therapies cellulaires"),
        ("fill-finish", "fill finish"),
        ("F&F", "f f"),
        ("DS/DP", "ds dp"),
        ("  Œuf; MAJUSCULES!  ", "œuf majuscules"),
    ],
)
def test_folding_ignores_case_accents_and_punctuation(text, folded):
    assert fold(text) == folded


def test_folded_accents_find_each_other():
    assert token_string(["Génopole"]) == token_string(["genopole"]) == " genopol "
    assert finds("genopole", "Génopole Évry")
    assert finds("GÉNOPOLE", "genopole evry")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("fill and finish", ["fill", "finish"]),
        ("The production of vaccines", ["production", "vaccines"]),
        ("thérapies de la peau et des os", ["therapies", "peau", "os"]),
        ("production à façon pour les vaccins", ["production", "facon", "vaccins"]),
        ("changement d'échelle", ["changement", "echelle"]),
        ("and of the", []),
        ("et du la", []),
    ],
)
def test_english_and_french_stop_words_are_dropped(text, kept):
    assert words(text) == kept


def test_stop_words_are_folded_like_the_text():
    # "à" and "où" fold to "a" and "ou", which are what the list holds.
    assert {"a", "ou", "and", "et", "de", "the"} <= STOP_WORDS
    assert "à" not in STOP_WORDS


@pytest.mark.parametrize(
    "forms",
    [
        ("vaccine", "vaccines", "vaccins", "vaccin"),
        ("monoclonal", "monoclonaux"),
        ("therapy", "therapies", "therapie"),
        ("antibody", "antibodies"),
        ("cell", "cells"),
        ("cellulaire", "cellulaires"),
        ("vector", "vectors"),
        ("viral", "viraux"),
    ],
)
def test_singular_plural_english_and_french_meet_on_a_stem(forms):
    shared = set.intersection(*(set(stems(form)) for form in forms))
    assert shared, f"{forms} share no stem: {[stems(f) for f in forms]}"


def test_stems_are_the_english_and_the_french_ones():
    assert stems("vaccines") == ("vaccin",)  # both algorithms agree: one stem
    assert stems("monoclonal") == ("monoclon", "monoclonal")
    assert stems("monoclonaux") == ("monoclonaux", "monoclonal")
    assert stems("therapies") == ("therapi", "therap")


@pytest.mark.parametrize("word", ["ds", "lv", "f", "2024", "1990s", "hek293", "c3"])
def test_short_and_numeric_words_are_not_stemmed(word):
    assert stems(word) == (word,)


def test_plurals_and_translations_find_each_other():
    assert finds("vaccine", "Vaccins")
    assert finds("vaccins", "Vaccines")
    assert finds("monoclonal", "Anticorps monoclonaux")
    assert finds("therapy", "Cell therapies")
    assert not finds("vaccine", "Vector production")


# -- token strings --------------------------------------------------------------------


def test_token_string_is_space_padded_distinct_stems_then_pairs_in_order():
    assert token_string(["Cell therapies", "Thérapies cellulaires", "cell"]) == (
        " cell cel therapi therap cell_therapi cel_therap"
        " cellulair therapi_cellulair therap_cellulair "
    )


def test_pair_tokens_join_adjacent_meaningful_words_of_one_text():
    # Stop words do not separate a phrase; two texts do not make one.
    assert token_string(["fill and finish"]) == " fill finish fill_finish "
    assert token_string(["Lyon", "Biologics"]) == " lyon biolog biologic "


def test_token_string_of_nothing_is_empty():
    assert token_string([]) == ""
    assert token_string(["", None, "and of the", "&&&"]) == ""


def test_token_string_keeps_acronyms_letters_and_numbers():
    assert token_string(["F&F", "DS/DP", "HEK293", "2024"]) == " f f_f ds dp ds_dp hek293 2024 "


# -- understanding a query ---------------------------------------------------------------


def alternatives(concept) -> list[list[str]]:
    return [[word.text for word in alternative] for alternative in concept.alternatives]


def test_words_become_concepts_in_the_order_typed():
    understood = understand("Vacine production Lyon", GROUPS)
    assert understood.words == ["vacine", "production", "lyon"]
    assert not any(len(concept.alternatives) > 1 for concept in understood.concepts)


def test_a_query_of_stop_words_or_punctuation_is_empty():
    for text in ["", "   ", "and of the", "&&&", "et de la"]:
        assert not understand(text, GROUPS), text


def test_concepts_are_capped():
    many = " ".join(f"word{n}x" for n in range(20))
    assert len(understand(many).concepts) == MAX_CONCEPTS


def test_the_longest_synonym_expression_wins():
    understood = understand("monoclonal antibody", GROUPS)
    assert understood.words == ["monoclonal antibody"]
    assert alternatives(understood.concepts[0]) == [
        ["mab"],
        ["monoclonal", "antibody"],
        ["anticorps", "monoclonal"],
    ]
    # Alone, "antibody" is the shorter group's.
    assert alternatives(understand("antibody", GROUPS).concepts[0]) == [
        ["antibody"],
        ["ab"],
        ["anticorps"],
    ]


def test_an_acronym_finds_the_expressions_of_its_group():
    assert finds("mAb", "Anticorps monoclonaux")
    assert finds("mAbs", "Monoclonal antibodies", seeded_groups())
    assert finds("monoclonal antibodies", "mAb platform")
    assert finds("anticorps monoclonaux", "Monoclonal antibody production")
    assert not finds("mAb", "Recombinant proteins")


@pytest.mark.parametrize("query", ["fill and finish", "F&F", "fill-finish", "Fill & Finish"])
def test_multi_word_synonyms_are_one_concept(query):
    understood = understand(query, GROUPS)
    assert len(understood.concepts) == 1
    assert len(understood.concepts[0].alternatives) > 1
    assert finds(query, "Aseptic fill-finish line")
    assert finds(query, "F&F services")
    assert finds(query, "Remplissage aseptique de flacons")
    assert not finds(query, "Fill the gaps")


def test_the_seeded_groups_understand_the_sectors_queries():
    groups = seeded_groups()
    assert finds("fill and finish", "F&F", groups)
    assert finds("F&F", "Remplissage et conditionnement", groups)
    assert finds("CDMO viral vector France", "CDMO of vecteurs viraux in France", groups)
    assert finds("contract manufacturing", "CMO", groups)
    assert finds("anticorps monoclonaux", "mAb", groups)
    assert understand("CDMO viral vector France", groups).words == [
        "cdmo",
        "viral vector",
        "france",
    ]


def test_a_one_way_group_finds_its_expressions_but_not_the_reverse():
    assert finds("ATMP", "Cell therapy manufacturing")
    assert finds("ATMP", "Gene therapies")
    # "cell therapy" is two plain words here: it does not become "gene therapy".
    assert understand("cell therapy", GROUPS).words == ["cell", "therapy"]
    assert not finds("cell therapy", "Gene therapy")
    assert not finds("gene therapy", "Cell therapy")
    assert not finds("cell therapy", "ATMP")


def test_a_synonym_expression_is_found_as_a_phrase():
    groups = seeded_groups()
    assert finds("cell therapy", "Cell therapies for rare diseases", groups)
    assert not finds("cell therapy", "CHO cells; gene therapy", groups)
    assert not finds("fill and finish", "Fill the vials, finish the batch", GROUPS)
    assert finds("fill and finish", "Vials: fill and finish", GROUPS)


def test_the_seeded_one_way_groups_do_not_widen_cell_therapy():
    groups = seeded_groups()
    assert finds("ATMP", "Thérapies géniques", groups)
    assert finds("cell therapy", "Thérapies cellulaires", groups)
    assert not finds("cell therapy", "Gene therapies & viral vectors", groups)


def test_a_repeated_word_asks_for_one_thing():
    assert understand("vaccine Vaccine VACCINE").words == ["vaccine"]


# -- matching: typed words are prefixes, synonym expressions are whole words -------------


def test_a_typed_word_finds_the_words_it_begins():
    assert finds("bio", "Lyon Biologics")
    assert finds("biolog", "Lyon Biologics")
    assert finds("lyo bio", "Lyon Biologics")
    assert not finds("bio", "Antibiotics"), "a prefix begins a word, it is not inside one"


def test_a_prefix_needs_three_letters():
    assert not finds("bi", "Lyon Biologics")
    assert not finds("ly", "Lyon Biologics")


def test_synonym_expressions_match_whole_words_only():
    assert not finds("cro", "Crohn's disease", GROUPS)
    assert not finds("CRO", "Crohn's disease", GROUPS)
    assert finds("CRO", "Contract research organisation", GROUPS)
    # Without the group, "cro" is a typed word and does find "Crohn".
    assert finds("cro", "Crohn's disease", SynonymGroups.build([]))


def test_every_concept_must_be_found():
    assert finds("vaccines lyon", "Vaccines made in Lyon")
    assert not finds("vaccines berlin", "Vaccines made in Lyon")


def test_concept_in_tokens_accepts_an_unpadded_token_string():
    concept = understand("vaccine").concepts[0]
    assert concept_in_tokens(concept, "vaccin")
    assert concept_in_tokens(concept, "cell vaccin")
    assert not concept_in_tokens(concept, "vaccinia")  # not a stem; "vaccine" is no prefix


# -- typos ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "limit"),
    [("cro", 0), ("mab", 0), ("cdmo", 1), ("vacine", 1), ("vaccine", 2), ("monoclonaux", 2)],
)
def test_edits_forgiven_grow_with_the_word(word, limit):
    assert max_typos(word) == limit


VOCABULARY = {
    "vaccine": 4,
    "vaccines": 9,
    "monoclonal": 2,
    "lyon": 5,
    "cdmo": 3,
    "production": 6,
    "fill": 2,
    "finish": 2,
}


@pytest.mark.parametrize(
    ("typed", "closest"),
    [
        ("vacine", "vaccine"),  # one edit, six letters
        ("vacines", "vaccines"),  # one edit
        ("monoclnal", "monoclonal"),  # one edit
        ("monoclnl", "monoclonal"),  # two edits, eight letters
        ("productoin", "production"),  # a swap is two edits, ten letters
        ("cdmp", "cdmo"),  # four letters: one edit
        ("finsh", "finish"),
    ],
)
def test_closest_word_within_the_edits_forgiven(typed, closest):
    assert closest_word(typed, VOCABULARY) == closest


@pytest.mark.parametrize(
    "typed",
    [
        "vaccine",  # known: nothing to correct
        "vacie",  # two edits from "vaccine", but five letters allow one
        "cdn",  # three letters: acronyms are never corrected
        "cmo",
        "xylophone",  # nothing near
        "pruductoin",  # three edits from "production"
    ],
)
def test_no_closest_word(typed):
    assert closest_word(typed, VOCABULARY) is None


def test_closest_word_prefers_the_nearest_then_the_most_frequent():
    # "vaccinne": one edit from "vaccine", two from the more frequent "vaccines".
    assert closest_word("vaccinne", VOCABULARY) == "vaccine"
    # Equally near: the more frequent wins, whichever it is.
    assert closest_word("bolx", {"bold": 1, "bolt": 9}) == "bolt"
    assert closest_word("bolx", {"bold": 9, "bolt": 1}) == "bold"
    # Equally near and frequent: alphabetical, so the answer never depends on order.
    assert closest_word("bolx", {"bolt": 1, "bold": 1}) == "bold"


def test_the_most_frequent_wins_among_many_equally_near_words():
    vocabulary = {f"bol{letter}": 1 for letter in "abcdefghijklmnopqrstuvwy"}
    vocabulary["bolz"] = 99  # 25 words one edit from "bolx"; the most frequent last
    assert closest_word("bolx", vocabulary) == "bolz"


def test_corrected_query_replaces_the_unknown_words_only():
    assert corrected_query("Vacine production", VOCABULARY) == "vaccine production"
    assert corrected_query("fill and finsh", VOCABULARY) == "fill and finish"
    assert corrected_query("cdmp Lyon", VOCABULARY) == "cdmo lyon"


@pytest.mark.parametrize(
    "text", ["vaccine production", "", "&&&", "and of the", "cmo", "xylophone lyon"]
)
def test_corrected_query_is_none_when_nothing_is_corrected(text):
    assert corrected_query(text, VOCABULARY) is None


def test_vocabulary_counts_the_texts_holding_a_word():
    vocabulary = vocabulary_of(["Lyon Biologics", "Biologics in Lyon, Lyon", "F&F of the vaccins"])
    assert vocabulary == {"lyon": 2, "biologics": 2, "vaccins": 1}
