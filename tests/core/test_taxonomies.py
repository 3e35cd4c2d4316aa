import json

import pytest
from django.utils import translation

from cobioe_cms.core.models import TAXONOMIES, Modality, ValueChainStage
from cobioe_cms.core.taxonomy_loader import TAXONOMIES_FILE, load_taxonomies

FIXTURE = TAXONOMIES_FILE


@pytest.mark.django_db
def test_fixture_is_loaded_completely_with_french_labels():
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for key, model in TAXONOMIES.items():
        assert model.objects.count() == len(data[key]), key
        assert not model.objects.filter(name_fr="").exists(), key
    assert ValueChainStage.objects.get(slug="fill-finish").parent.slug == "production"


@pytest.mark.django_db
def test_reloading_creates_nothing_and_keeps_editors_wording():
    Modality.objects.filter(slug="vaccines").update(name="Vaccines (all kinds)")
    created = load_taxonomies(FIXTURE)
    assert sum(created.values()) == 0
    assert Modality.objects.get(slug="vaccines").name == "Vaccines (all kinds)"


@pytest.mark.django_db
def test_label_follows_the_active_language():
    term = Modality.objects.get(slug="monoclonal-antibodies")
    with translation.override("fr"):
        assert term.label == "Anticorps monoclonaux"
    with translation.override("en"):
        assert term.label == "Monoclonal antibodies"
    term.name_fr = ""
    with translation.override("fr"):
        assert term.label == "Monoclonal antibodies"


@pytest.mark.django_db
def test_sub_stage_names_its_parent():
    stage = ValueChainStage.objects.get(slug="scale-up")
    assert str(stage) == "Process development & industrialisation › Scale-up"
