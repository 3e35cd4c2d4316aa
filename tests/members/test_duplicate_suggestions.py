"""The suggestions a member sees while creating an organisation come from the one
duplicate finder: a labelled set of variants of existing names (legal forms, case,
accents, punctuation, "&"/"and", a typo) and of unrelated names, through the view.

Run with ``-s`` to see the figures; a failure's message shows them too.
"""

import random
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.demo.actors import generate_actors
from tests.factories import ActorPageFactory

SUGGEST_URL = "/members/organisations/suggest/"
# Real-looking names with accents and "&" / "and", next to the demo's synthetic ones.
NAMED = (
    "Génopole Évry", "Institut Pasteur de Lille", "Bioprocédés & Santé",
    "Cellules Souches Méditerranée", "Université de Nantes Biothérapies",
    "Hôpital Européen Biobanque", "Smith & Nephew Biologics", "Baxter & Whitfield Vectors",
    "Nordic Cell and Gene Therapy", "Fermentation & Purification Lyon",
    "Rhône Vaccines and Antibodies", "Müller & Schäfer Bioprozess",
    "Oxford Plasmids and Viral Vectors", "Kraków Biotech & Bioprocess",
    "Øresund Antibody Factory", "Zürich Protein & Peptide Works",
)  # fmt: skip
UNRELATED = (
    "Quorvane Fluidics", "Tessaly Maritime Logistics", "Brindlewood Software",
    "Ostrava Steelworks", "Pelican Bay Bakery", "Harrowgate Insurance Brokers",
    "Velmont Architecture", "Corran Wind Energy", "Saltmarsh Ceramics",
    "Kestrel Aviation Services", "Juniper Legal Advisers", "Montclair Textile Mills",
    "Ardentia Furniture", "Glenfiddle Whisky Tours", "Patagonia Mining Supplies",
    "Lindqvist Shipping", "Marlowe Publishing House", "Orchard Lane Dental Clinic",
    "Tidewater Fisheries", "Ravensworth Golf Club",
)  # fmt: skip
LEGAL_FORMS = (" SAS", " GmbH", ", Ltd.", " S.A.")
ACCENTS = str.maketrans("eaoucEAOUC", "éàöüçÉÀÖÜÇ")
MIN_SHARE = 0.9  # of the variants of each kind whose original is suggested
MAX_FALSE_POSITIVES = 0.1  # of the unrelated names that get a suggestion


def without_accents(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def with_accent(name: str) -> str:
    """The first letter that can take an accent, accented."""
    for i, letter in enumerate(name):
        if letter.translate(ACCENTS) != letter:
            return name[:i] + letter.translate(ACCENTS) + name[i + 1 :]
    return name


def change_case(name: str, i: int) -> str:
    return (name.upper(), name.lower(), name.swapcase())[i % 3]


def punctuate(name: str, i: int) -> str:
    first, _, rest = name.partition(" ")
    return (f"{first}-{rest}", f"{name}.", f"{first}, {rest}", f"“{name}”")[i % 4]


def ampersand(name: str) -> str:
    return name.replace(" & ", " and ") if " & " in name else name.replace(" and ", " & ")


def typo(name: str, rnd: random.Random, i: int) -> str:
    """One letter changed, missing, added, or two neighbouring letters swapped."""
    letters = [p for p, c in enumerate(name) if c.isalpha()]
    p = rnd.choice(letters[1:-1])
    kind = i % 4
    if kind == 0:
        other = rnd.choice([c for c in "abcdefghijklmnopqrstuvwxyz" if c != name[p].lower()])
        return name[:p] + other + name[p + 1 :]
    if kind == 1:
        return name[:p] + name[p + 1 :]
    if kind == 2:
        return name[:p] + rnd.choice("aeiourstn") + name[p:]
    if name[p + 1].isalpha() and name[p + 1] != name[p]:
        return name[:p] + name[p + 1] + name[p] + name[p + 2 :]
    return name[:p] + name[p + 1 :]


def variants(originals: list[str], rnd: random.Random) -> dict[str, list[tuple[str, str]]]:
    """Variant kind -> (original, variant) pairs."""
    kinds: dict[str, list[tuple[str, str]]] = {}
    for form in LEGAL_FORMS:
        kinds[f"legal form “{form.strip(' ,')}”"] = [(n, n + form) for n in originals]
    kinds["case"] = [(n, change_case(n, i)) for i, n in enumerate(originals)]
    kinds["accents"] = [
        (n, without_accents(n) if without_accents(n) != n else with_accent(n)) for n in originals
    ]
    kinds["punctuation"] = [(n, punctuate(n, i)) for i, n in enumerate(originals)]
    kinds["“&” / “and”"] = [(n, ampersand(n)) for n in NAMED if ampersand(n) != n]
    kinds["one typo"] = [(n, typo(n, rnd, i)) for i, n in enumerate(originals)]
    return kinds


def suggested_titles(client, name: str) -> list[str]:
    response = client.get(SUGGEST_URL, {"name": name})
    assert response.status_code == 200
    return [match["title"] for match in response.json()["matches"]]


@pytest.mark.django_db
def test_variants_of_existing_names_are_suggested_and_unrelated_names_are_not(
    client, member, cartography
):
    generate_actors(cartography, 300, seed=1)  # the demo's size and seed
    for title in NAMED:
        ActorPageFactory(parent=cartography, title=title)
    rnd = random.Random(11)
    demo_titles = sorted(
        set(ActorPage.objects.filter(is_demo=True).values_list("title", flat=True))
    )
    originals = rnd.sample(demo_titles, 30) + list(NAMED[:10])
    assert len(originals) == 40
    client.force_login(member)

    figures = {}
    for kind, pairs in variants(originals, rnd).items():
        assert len(pairs) >= 10, kind
        assert all(variant != original for original, variant in pairs), kind
        missed = [v for original, v in pairs if original not in suggested_titles(client, v)]
        figures[kind] = (len(pairs) - len(missed), len(pairs), missed)
    suggested_for_unrelated = {n: suggested_titles(client, n) for n in UNRELATED}
    false_positives = {n: titles for n, titles in suggested_for_unrelated.items() if titles}

    lines = [f"{kind}: {found}/{total} suggested" for kind, (found, total, _) in figures.items()]
    lines.append(f"unrelated names with a suggestion: {len(false_positives)}/{len(UNRELATED)}")
    report = "\n".join(lines)
    print("\nDuplicate suggestions while creating an organisation:\n" + report)  # noqa: T201
    for kind, (found, total, missed) in figures.items():
        assert found >= MIN_SHARE * total, f"{kind}: missed {missed}\n{report}"
    assert len(false_positives) <= MAX_FALSE_POSITIVES * len(UNRELATED), (
        f"{false_positives}\n{report}"
    )


@pytest.mark.django_db
def test_suggestions_read_a_few_rows_per_keystroke_whatever_the_number_of_profiles(
    client, member, cartography
):
    """The finder's index of names is kept per process while no profile is published,
    unpublished or deleted: a keystroke reads an aggregate and the few profiles shown."""
    client.force_login(member)
    generate_actors(cartography, 20, seed=2)
    client.get(SUGGEST_URL, {"name": "warm up"})

    def queries(name: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(SUGGEST_URL, {"name": name})
        return len(captured.captured_queries)

    small = [queries(name) for name in ("Quorvane", "Cellvec Bio", "Biog")]
    generate_actors(cartography, 480, seed=3)
    client.get(SUGGEST_URL, {"name": "warm up"})  # the index is built again once
    large = [queries(name) for name in ("Quorvane", "Cellvec Bio", "Biog")]
    assert small == large
    assert max(large) <= 8, large
