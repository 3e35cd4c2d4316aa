"""Classification rules (labels, editors' keywords, countries, actor names). The
classifier's speed with 10,000 actors is measured by tests/perf/bench_classifier.py."""

import pytest

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.models import Modality, TherapeuticArea, ValueChainStage
from cobioe_cms.watch.ingest.canonical import canonical_url, title_key
from cobioe_cms.watch.ingest.classify import Classifier, PhraseIndex, label_variants
from tests.factories import ActorPageFactory

pytestmark = pytest.mark.django_db


def ids(model, *slugs) -> set[int]:
    return set(model.objects.filter(slug__in=slugs).values_list("pk", flat=True))


@pytest.fixture
def classifier(cartography):
    Modality.objects.filter(slug="monoclonal-antibodies").update(keywords="mAb\nanticorps")
    ActorPageFactory(parent=cartography, title="Genopole")
    ActorPageFactory(parent=cartography, title="Lyon Biologics SAS", acronym="LB")
    ActorPageFactory(parent=cartography, title="Draft Biotech", live=False)
    return Classifier.from_db()


def test_labels_keywords_and_whole_words(classifier):
    found = classifier.classify("Les ANTICORPS conjugués (ADC) et les vaccins à ARNm")
    assert found.modalities == ids(
        Modality, "monoclonal-antibodies", "antibody-drug-conjugates", "vaccines"
    )
    # "mAb" inside another word is not the keyword "mAb".
    assert classifier.classify("The mAbsolute award").modalities == set()
    assert classifier.classify("Oncology and rare diseases").therapeutic_areas == ids(
        TherapeuticArea, "oncology", "rare-diseases"
    )


def test_sub_stage_brings_its_parent(classifier):
    found = classifier.classify("A new fill & finish line")
    assert found.stages == ids(ValueChainStage, "fill-finish", "production")


def test_countries_in_english_and_french_and_aliases(classifier):
    found = classifier.classify("Allemagne, the Czech Republic, Royaume-Uni and Türkiye")
    assert found.countries == {"DE", "CZ", "GB", "TR"}


def test_actors_by_name_legal_form_and_acronym(classifier, cartography):
    found = classifier.classify("GENOPOLE and Lyon Biologics sign with LB (too short)")
    named = set(ActorPage.objects.filter(pk__in=found.actors).values_list("title", flat=True))
    assert named == {"Genopole", "Lyon Biologics SAS"}
    assert classifier.classify("Draft Biotech raises funds").actors == set()  # not live


def test_label_variants():
    assert list(label_variants("Microbiome / live biotherapeutics")) == [
        "Microbiome",
        "live biotherapeutics",
    ]
    assert list(label_variants("Antibody-drug conjugates (ADCs)")) == [
        "Antibody-drug conjugates",
        "ADCs",
    ]


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTPS://Example.COM:443/a/b/?utm_source=x&b=2&a=1#top",
            "https://example.com/a/b?a=1&b=2",
        ),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/?fbclid=1&gclid=2&mc_cid=3", "http://example.com:8080/"),
        (
            "https://example.com/path?q=caf%C3%A9&page=",
            "https://example.com/path?page=&q=caf%C3%A9",
        ),
    ],
)
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


def test_title_key_ignores_case_accents_punctuation_and_small_words():
    assert title_key("L'usine de Lyon ouvre !") == title_key("Usine Lyon ouvre")
    assert title_key("The Plant in Évry") == "plant evry"


def test_phrase_index_matches_whole_phrases_only():
    index = PhraseIndex()
    index.add("Cell therapies", "modalities", 1)
    index.add("cell", "modalities", 2)
    assert set(index.find(["new", "cell", "therapies"])) == {("modalities", 1), ("modalities", 2)}
    assert set(index.find(["new", "cell", "lines"])) == {("modalities", 2)}
    assert set(index.find(["therapies"])) == set()
