"""A reworded taxonomy term is searchable at once on the profiles it describes."""

import pytest

from cobioe_cms.core.models import Modality, OrganisationType
from tests.factories import ActorPageFactory


def found(client, query: str) -> list[str]:
    response = client.get("/cartography/", {"q": query})
    assert response.status_code == 200
    return [actor.title for actor in response.context["page_obj"].object_list]


@pytest.mark.django_db
def test_new_keyword_of_a_term_finds_its_profiles(cartography, client):
    ActorPageFactory(parent=cartography, title="Alpha Vaccines", modalities=["vaccines"])
    draft = ActorPageFactory(
        parent=cartography, title="Beta Draft", modalities=["vaccines"], live=False
    )
    ActorPageFactory(parent=cartography, title="Gamma Cells", modalities=["cell-therapies"])
    assert found(client, "zorblaxine") == []

    vaccines = Modality.objects.get(slug="vaccines")
    vaccines.keywords = "zorblaxine\nadjuvant"
    vaccines.save()

    assert found(client, "zorblaxine") == ["Alpha Vaccines"]
    draft.refresh_from_db()
    assert " zorblaxin " in draft.search_terms  # drafts too, for when they are published
    site_search = client.get("/search/", {"q": "zorblaxine", "kind": "actors"})
    assert "Alpha Vaccines" in site_search.content.decode()


@pytest.mark.django_db
def test_renamed_organisation_type_and_unrelated_save(cartography, client):
    ActorPageFactory(parent=cartography, title="Delta Works", organisation_type="cdmo")
    cdmo = OrganisationType.objects.get(slug="cdmo")
    assert found(client, "zephyrien") == []
    cdmo.name_fr = "Sous-traitant zéphyrien"
    cdmo.save()
    assert found(client, "zephyrien") == ["Delta Works"]

    # A save that changes no text analyses nothing again.
    cdmo.sort_order += 1
    with pytest.MonkeyPatch.context() as patch:
        calls = []
        patch.setattr(
            "cobioe_cms.actors.term_text.reanalyse_profiles", lambda pks: calls.append(pks)
        )
        cdmo.save()
    assert calls == []
