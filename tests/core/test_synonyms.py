"""The sector's synonym groups (:class:`cobioe_cms.core.models.SearchSynonym`): seeded
from the fixtures without overwriting editors' changes, validated with clear messages,
managed by editors in the admin (nobody else), and in effect from the next search."""

import json
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cobioe_cms.actors.text_search import understand_query
from cobioe_cms.core.models import Modality, SearchSynonym, synonym_groups
from cobioe_cms.core.models.synonyms import MAX_EXPRESSIONS
from cobioe_cms.core.taxonomy_loader import TAXONOMIES_FILE, load_taxonomies
from tests.factories import ActorPageFactory, MemberFactory

pytestmark = pytest.mark.django_db

TAXONOMIES = TAXONOMIES_FILE
INDEX = reverse("cobioe_core_searchsynonym_modeladmin_index")
CREATE = reverse("cobioe_core_searchsynonym_modeladmin_create")


def edit_url(group: SearchSynonym) -> str:
    return reverse("cobioe_core_searchsynonym_modeladmin_edit", args=[group.pk])


def seeded() -> list[dict]:
    return json.loads(TAXONOMIES.read_text(encoding="utf-8"))["synonyms"]


# -- seeding -------------------------------------------------------------------------------


def test_the_loader_seeds_every_group_of_the_fixtures():
    entries = seeded()
    assert SearchSynonym.objects.count() == len(entries) > 30
    mab = SearchSynonym.objects.get(name="mAb")
    assert mab.expression_list() == [
        "mAb",
        "mAbs",
        "monoclonal antibody",
        "monoclonal antibodies",
        "anticorps monoclonal",
        "anticorps monoclonaux",
        "AcM",
    ]
    assert not mab.one_way
    assert SearchSynonym.objects.get(name="ATMP").one_way
    assert set(SearchSynonym.objects.filter(one_way=True).values_list("name", flat=True)) == {
        entry["name"] for entry in entries if entry.get("one_way")
    }


def test_a_reload_keeps_editors_changes_and_restores_deleted_groups():
    mab = SearchSynonym.objects.get(name="mAb")
    mab.expressions = "monoclonal antibody\nanticorps monoclonal\nzorblax"
    mab.one_way = True
    mab.save()
    SearchSynonym.objects.filter(name="LNP").delete()

    created = load_taxonomies(TAXONOMIES)

    assert created["synonyms"] == 1
    mab.refresh_from_db()
    assert mab.expressions == "monoclonal antibody\nanticorps monoclonal\nzorblax"
    assert mab.one_way
    assert "lipid nanoparticle" in SearchSynonym.objects.get(name="LNP").expression_list()
    assert SearchSynonym.objects.count() == len(seeded())


def test_a_second_load_creates_nothing():
    assert load_taxonomies(TAXONOMIES)["synonyms"] == 0


# -- validation ----------------------------------------------------------------------------


def errors_of(group: SearchSynonym) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        group.clean()
    return raised.value.message_dict["expressions"]


@pytest.mark.parametrize(
    ("name", "expressions", "empty"),
    [
        ("and of the", "monoclonal antibody", "and of the"),
        ("mAb", "monoclonal antibody\n&&&", "&&&"),
        ("mAb", "et de la\nmonoclonal antibody", "et de la"),
    ],
)
def test_an_expression_with_nothing_to_match_is_refused(name, expressions, empty):
    assert errors_of(SearchSynonym(name=name, expressions=expressions)) == [
        f"“{empty}” has no word a search could match (only stop words or punctuation)."
    ]


@pytest.mark.parametrize("expressions", ["", "mAb", "MAB\n  mab  ", " \n"])
def test_a_group_needs_an_expression_besides_its_name(expressions):
    assert errors_of(SearchSynonym(name="mAb", expressions=expressions)) == [
        "Give at least one expression other than the name."
    ]


def test_a_group_has_a_bounded_number_of_expressions():
    too_many = "\n".join(f"expression {n}" for n in range(MAX_EXPRESSIONS))
    assert errors_of(SearchSynonym(name="big", expressions=too_many)) == [
        f"At most {MAX_EXPRESSIONS} expressions in a group."
    ]
    enough = "\n".join(f"expression {n}" for n in range(MAX_EXPRESSIONS - 1))
    SearchSynonym(name="big", expressions=enough).clean()  # the name is the 30th


def test_a_valid_group_passes():
    SearchSynonym(name="zorblax", expressions="viral vector\n\n  vecteur viral ").clean()


# -- the admin -----------------------------------------------------------------------------


def test_editors_list_the_groups_from_the_taxonomies_menu(editor_client):
    home = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert INDEX in home

    listing = editor_client.get(INDEX)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert edit_url(SearchSynonym.objects.get(name="mAb")) in html
    assert "monoclonal antibody" in html
    found = editor_client.get(INDEX, {"q": "lentiviral"}).content.decode()
    assert edit_url(SearchSynonym.objects.get(name="LV")) in found
    assert edit_url(SearchSynonym.objects.get(name="mAb")) not in found


def test_editors_create_a_group(editor_client):
    response = editor_client.post(
        CREATE, {"name": "zorblax", "expressions": "viral vector\nvecteur viral"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == INDEX
    group = SearchSynonym.objects.get(name="zorblax")
    assert group.expression_list() == ["zorblax", "viral vector", "vecteur viral"]
    assert not group.one_way


def test_editors_edit_a_group(editor_client):
    group = SearchSynonym.objects.get(name="LNP")
    assert editor_client.get(edit_url(group)).status_code == 200
    response = editor_client.post(
        edit_url(group),
        {
            "name": "LNP",
            "expressions": "lipid nanoparticle\nnanoparticule lipidique",
            "one_way": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    group.refresh_from_db()
    assert group.expressions == "lipid nanoparticle\nnanoparticule lipidique"
    assert group.one_way


def test_an_invalid_group_is_shown_again_with_the_error_and_not_saved(editor_client):
    count = SearchSynonym.objects.count()
    response = editor_client.post(CREATE, {"name": "zorblax", "expressions": "and of the"})
    assert response.status_code == 200
    assert "has no word a search could match" in response.content.decode()
    assert 'value="zorblax"' in response.content.decode(), "what was typed is kept"
    assert SearchSynonym.objects.count() == count

    group = SearchSynonym.objects.get(name="mAb")
    response = editor_client.post(edit_url(group), {"name": "mAb", "expressions": "MAB"})
    assert response.status_code == 200
    assert "Give at least one expression other than the name." in response.content.decode()
    group.refresh_from_db()
    assert "monoclonal antibody" in group.expressions


def test_a_name_is_unique(editor_client):
    response = editor_client.post(CREATE, {"name": "mAb", "expressions": "zorblax"})
    assert response.status_code == 200
    assert SearchSynonym.objects.filter(name="mAb").count() == 1
    assert not SearchSynonym.objects.filter(expressions="zorblax").exists()


def admin_urls() -> list[tuple[str, str]]:
    group = SearchSynonym.objects.get(name="mAb")
    return [
        ("get", INDEX),
        ("get", CREATE),
        ("post", CREATE),
        ("get", edit_url(group)),
        ("post", edit_url(group)),
    ]


POSTED = {"name": "zorblax", "expressions": "viral vector"}


def request(client, method: str, url: str):
    return client.post(url, POSTED) if method == "post" else client.get(url)


def assert_nothing_changed():
    assert not SearchSynonym.objects.filter(name="zorblax").exists()
    assert SearchSynonym.objects.get(name="mAb").expressions.startswith("mAbs\n")


def test_anonymous_visitors_are_sent_to_the_login(client):
    for method, url in admin_urls():
        response = request(client, method, url)
        assert response.status_code == 302, (method, url)
        assert urlsplit(response["Location"]).path == reverse("account_login"), (method, url)
    assert_nothing_changed()


def test_members_without_admin_access_are_turned_away(client):
    """A verified member is not staff: Wagtail sends them to sign in with an account
    that has admin access, and changes nothing."""
    client.force_login(MemberFactory(username="marie", email="marie@lyonbio.eu"))
    for method, url in admin_urls():
        response = request(client, method, url)
        assert response.status_code in (302, 403), (method, url, response.status_code)
        if response.status_code == 302:
            assert urlsplit(response["Location"]).path == reverse("account_login"), (method, url)
    assert_nothing_changed()


# -- in effect from the next search ------------------------------------------------------


@pytest.fixture
def vector_maker(cartography):
    """The only actor with the viral vectors modality; "zorblax" is nowhere."""
    ActorPageFactory(
        parent=cartography, title="Lyon Biologics", modalities=["monoclonal-antibodies"]
    )
    return ActorPageFactory(
        parent=cartography,
        title="Berlin Vectors",
        city="Berlin",
        country="DE",
        modalities=["gene-therapies-viral-vectors"],
    )


def actor_results(response) -> list[str]:
    """The organisations the site search lists."""
    section = response.context["search"].results
    [actors] = [result for result in section if result.section.key == "actors"]
    return [hit.title for hit in actors.page.object_list] if actors.page else []


def cartography_titles(response) -> list[str]:
    return [actor.title for actor in response.context["page_obj"].object_list]


def test_a_group_created_in_the_admin_counts_from_the_next_search(
    client, editor, vector_maker, cartography
):
    assert actor_results(client.get("/search/", {"q": "zorblax"})) == []
    assert "zorblax" not in vector_maker.search_text

    client.force_login(editor)
    response = client.post(CREATE, {"name": "zorblax", "expressions": "viral vector"})
    assert response.status_code == 302
    client.logout()

    search = client.get("/search/", {"q": "zorblax"})
    assert search.status_code == 200
    assert actor_results(search) == ["Berlin Vectors"]
    assert search.context["search"].corrected_from is None, "found as typed, not corrected"

    carto = client.get(cartography.url, {"q": "zorblax"})
    assert carto.status_code == 200
    assert cartography_titles(carto) == ["Berlin Vectors"]
    assert "No organisation matches" not in carto.content.decode()

    # Nothing was re-indexed: the stored profile is as it was.
    vector_maker.refresh_from_db()
    assert "zorblax" not in vector_maker.search_text


def test_the_understanding_follows_the_groups_in_the_database():
    assert len(understand_query("zorblax").concepts[0].alternatives) <= 1
    SearchSynonym.objects.create(name="zorblax", expressions="viral vector")
    [concept] = understand_query("zorblax").concepts
    assert [[word.text for word in a] for a in concept.alternatives] == [
        ["zorblax"],
        ["viral", "vector"],
    ]
    assert any(len(group) == 2 for group in synonym_groups().groups)


def test_a_group_deleted_in_the_admin_stops_counting_at_once(client, editor, vector_maker):
    group = SearchSynonym.objects.create(name="zorblax", expressions="viral vector")
    assert actor_results(search_for(client, "zorblax")) == ["Berlin Vectors"]

    client.force_login(editor)
    delete = reverse("cobioe_core_searchsynonym_modeladmin_delete", args=[group.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not SearchSynonym.objects.filter(pk=group.pk).exists()

    assert actor_results(search_for(client, "zorblax")) == []


def test_moderators_manage_the_groups_too(client):
    moderator = MemberFactory(username="mona", email="mona@cobioe.eu", groups=["Moderators"])
    client.force_login(moderator)
    assert client.get(INDEX).status_code == 200
    response = client.post(CREATE, {"name": "zorblax", "expressions": "viral vector"})
    assert response.status_code == 302
    assert SearchSynonym.objects.filter(name="zorblax").exists()


def search_for(client, q: str):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response


def test_a_created_group_counts_for_typo_correction_at_once(client, editor, vector_maker):
    # A search that finds nothing builds the vocabulary of typo correction.
    assert actor_results(search_for(client, "zorblx")) == []

    client.force_login(editor)
    client.post(CREATE, {"name": "zorblax", "expressions": "viral vector"})

    response = search_for(client, "zorblx")
    assert response.context["search"].query.typed == "zorblax"
    assert actor_results(response) == ["Berlin Vectors"]


def test_an_edited_group_counts_for_typo_correction_at_once(client, editor, vector_maker):
    assert actor_results(search_for(client, "zorblx")) == []

    group = SearchSynonym.objects.get(name="viral vector")
    client.force_login(editor)
    response = client.post(
        edit_url(group),
        {"name": "viral vector", "expressions": f"{group.expressions}\nzorblax"},
    )
    assert response.status_code == 302
    assert actor_results(search_for(client, "zorblax")) == ["Berlin Vectors"]

    response = search_for(client, "zorblx")
    assert response.context["search"].query.typed == "zorblax"
    assert actor_results(response) == ["Berlin Vectors"]


def test_a_new_keyword_of_a_term_counts_for_typo_correction_at_once(client, vector_maker):
    assert actor_results(search_for(client, "zorblx")) == []

    modality = Modality.objects.get(slug="gene-therapies-viral-vectors")
    modality.keywords = "zorblax"
    modality.save()
    assert actor_results(search_for(client, "zorblax")) == ["Berlin Vectors"]

    response = search_for(client, "zorblx")
    assert response.context["search"].query.typed == "zorblax"
    assert actor_results(response) == ["Berlin Vectors"]
