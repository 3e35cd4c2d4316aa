"""With a text query, the cartography lists the best matches first, as the header
search does: a name that matches, then taxonomy terms, then mere mentions."""

import pytest

from tests.factories import ActorPageFactory


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [actor.title for actor in response.context["page_obj"].object_list]


@pytest.fixture
def actors(cartography):
    ActorPageFactory(parent=cartography, title="Aardvark Labs", summary="We also test vaccines.")
    ActorPageFactory(parent=cartography, title="Beta Biologics", modalities=["vaccines"])
    ActorPageFactory(parent=cartography, title="Zulu Vaccine Works")
    ActorPageFactory(parent=cartography, title="Charlie Cells", modalities=["cell-therapies"])


@pytest.mark.django_db
def test_best_match_is_the_default_order_of_a_text_query(actors, client):
    response = client.get("/cartography/", {"q": "vaccine"})
    assert titles(response) == ["Zulu Vaccine Works", "Beta Biologics", "Aardvark Labs"]
    sorts = [key for key, _label in response.context["sorts"]]
    assert sorts[0] == "relevance"
    assert 'option value="relevance" selected' in response.content.decode()
    # By name on request, and the URL keeps that choice.
    by_name = client.get("/cartography/", {"q": "vaccine", "sort": "name"})
    assert titles(by_name) == ["Aardvark Labs", "Beta Biologics", "Zulu Vaccine Works"]
    assert "sort=name" in by_name.context["querystring"]


@pytest.mark.django_db
def test_no_best_match_without_text(actors, client):
    response = client.get("/cartography/", {"sort": "relevance"})
    assert titles(response)[:2] == ["Aardvark Labs", "Beta Biologics"]  # by name
    assert "relevance" not in [key for key, _label in response.context["sorts"]]
    assert response.context["input_messages"] == []
