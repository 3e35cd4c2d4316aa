"""Queries the analysis cannot use never break a search: the header search and the
cartography's text query answer 200 with a message that says why nothing was looked for
(or what was kept), never a 500, whatever the synonyms, stop words and typo correction
make of them."""

from html import unescape

import pytest

from tests.factories import ActorPageFactory

pytestmark = pytest.mark.django_db

NO_WORD_SEARCH = "Your search has no letters or digits to look for; try a word."
NO_WORD_CARTOGRAPHY = "The search text has no word to look for (only punctuation or “and”, “of”…)."
SHORTENED_SEARCH = "Your search was shortened to its first 200 characters."
SHORTENED_CARTOGRAPHY = "The search text was shortened to its first 200 characters."


@pytest.fixture
def actors(cartography):
    ActorPageFactory(
        parent=cartography,
        title="Lyon Biologics",
        summary="Fill and finish of vaccines.",
        modalities=["vaccines"],
        stages=["fill-finish"],
    )
    ActorPageFactory(parent=cartography, title="Berlin Vectors", city="Berlin", country="DE")
    return cartography


def page_text(response) -> str:
    return unescape(response.content.decode())


def site_search(client, q: str):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200, q[:80]
    return response


def cartography_search(client, cartography, q: str):
    response = client.get(cartography.url, {"q": q})
    assert response.status_code == 200, q[:80]
    return response


def listed(response) -> list[str]:
    return [actor.title for actor in response.context["page_obj"].object_list]


# Many distinct words (a phrase of every word typed is ranked, not only the concepts).
MANY_WORDS = " ".join(f"w{n}" for n in range(150))[:500]


# -- the header search ---------------------------------------------------------------------


@pytest.mark.parametrize("q", ["&&&", "%%% --- ***", "“” «» …", "&\x00&\x01"])
def test_site_search_without_letters_or_digits_says_so(client, actors, q):
    response = site_search(client, q)
    assert NO_WORD_SEARCH in page_text(response)
    assert not response.context["search"].total


def test_site_search_of_stop_words_only_finds_nothing_and_says_so(client, actors):
    response = site_search(client, "and of the")
    text = page_text(response)
    assert response.context["search"].total == 0
    assert "Nothing matches “and of the”." in text
    assert response.context["search"].corrected_from is None


def test_site_search_of_a_stop_word_and_a_word_finds_the_word(client, actors):
    response = site_search(client, "the vaccines")
    assert [hit.title for hit in response.context["search"].results[0].page.object_list] == [
        "Lyon Biologics"
    ]


@pytest.mark.parametrize(
    "q",
    [
        "vaccines " * 60,  # 540 characters of a real word
        "x" * 500,
        "&" * 500,
        "é" * 500,
        "vacine " + "z" * 493,
        MANY_WORDS,
    ],
)
def test_site_search_of_500_characters_is_shortened(client, actors, q):
    response = site_search(client, q)
    assert SHORTENED_SEARCH in page_text(response)
    assert len(response.context["search"].query.typed) <= 200


def test_site_search_removes_control_characters(client, actors):
    response = site_search(client, "vacc\x00ines\x1f lyon\x7f")
    search = response.context["search"]
    assert search.query.typed == "vacc ines lyon"
    assert "\x00" not in response.content.decode()


@pytest.mark.parametrize("q", ["\x00", "\x00\x01\x02", " \x7f\x1b "])
def test_site_search_of_control_characters_only_is_an_empty_search(client, actors, q):
    """Nothing is left once they are removed: the page invites a search, as without q."""
    response = site_search(client, q)
    assert not response.context["search"].searched
    assert "Type what you are looking for" in page_text(response)


def test_site_search_with_a_nul_in_the_url(client, actors):
    response = client.get("/search/?q=%00")
    assert response.status_code == 200
    assert "Type what you are looking for" in page_text(response)
    response = client.get("/search/?q=vaccines%00")
    assert response.status_code == 200
    assert [hit.title for hit in response.context["search"].results[0].page.object_list] == [
        "Lyon Biologics"
    ]


# -- the cartography's text query ----------------------------------------------------------


@pytest.mark.parametrize("q", ["&&&", "and of the", "et de la", "%%% ---", "\x00&&\x01"])
def test_cartography_query_without_a_word_says_so(client, actors, q):
    response = cartography_search(client, actors, q)
    assert NO_WORD_CARTOGRAPHY in page_text(response)
    # Nothing to look for: the query filters nothing out.
    assert sorted(listed(response)) == ["Berlin Vectors", "Lyon Biologics"]


@pytest.mark.parametrize(
    "q", ["vaccines " * 60, "x" * 500, "&" * 500, "vacine " + "z" * 493, MANY_WORDS]
)
def test_cartography_query_of_500_characters_is_shortened(client, actors, q):
    response = cartography_search(client, actors, q)
    assert SHORTENED_CARTOGRAPHY in page_text(response)
    assert len(response.context["filter"].query) <= 200


def test_a_query_of_500_characters_still_finds_what_it_begins_with(client, actors):
    q = "vaccines " + "&" * 491
    assert listed(cartography_search(client, actors, q)) == ["Lyon Biologics"]
    search = site_search(client, q).context["search"]
    assert [hit.title for hit in search.results[0].page.object_list] == ["Lyon Biologics"]


def test_cartography_with_a_nul_in_the_url(client, actors):
    response = client.get(f"{actors.url}?q=%00")
    assert response.status_code == 200
    # Control characters are removed: nothing was typed, nothing is filtered out.
    assert NO_WORD_CARTOGRAPHY not in page_text(response)
    assert sorted(listed(response)) == ["Berlin Vectors", "Lyon Biologics"]
    response = client.get(f"{actors.url}?q=vaccines%00")
    assert response.status_code == 200
    assert listed(response) == ["Lyon Biologics"]


def test_cartography_does_not_echo_control_characters(client, actors):
    response = client.get(f"{actors.url}?q=vacc%00ines%01")
    assert response.status_code == 200
    body = response.content.decode()
    assert "\x00" not in body
    assert "\x01" not in body
