"""The site as a whole: home page, navigation, 404, and who reaches the admin."""

import pytest
from django.contrib.auth.models import User

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.models import Modality
from tests.factories import ActorPageFactory


@pytest.fixture
def visitor_account(db):
    return User.objects.create_user("member", "member@example.org", "pw")


@pytest.mark.django_db
def test_home_page_leads_to_the_cartography(client, cartography):
    ActorPageFactory(parent=cartography, title="Home Test Bio", country="DE", city="Berlin")
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/cartography/"' in html
    assert "Explore the cartography" in html
    assert "1 actor mapped" in html
    assert 'class="skip-link" href="#main"' in html
    # Entry points along the value chain, with their counts.
    assert 'href="/cartography/?stage=training"' in html
    assert "Research &amp; development" in html


@pytest.mark.django_db
def test_unknown_page_is_a_404_with_the_theme(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get("/admin/cobioe_core/modality/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/cobioe_core/modality/"


@pytest.mark.django_db
def test_accounts_without_admin_access_cannot_edit_taxonomies(client, visitor_account):
    client.force_login(visitor_account)
    response = client.get("/admin/cobioe_core/modality/")
    assert response.status_code in {302, 403}
    response = client.post("/admin/cobioe_core/modality/create/", {"name": "X", "slug": "x"})
    assert response.status_code in {302, 403}
    assert not Modality.objects.filter(slug="x").exists()


@pytest.mark.django_db
def test_editors_manage_taxonomies(client, editor):
    client.force_login(editor)
    assert client.get("/admin/cobioe_core/valuechainstage/").status_code == 200
    response = client.post(
        "/admin/cobioe_core/modality/create/",
        {
            "name": "Oligonucleotides",
            "name_fr": "Oligonucléotides",
            "slug": "oligos",
            "sort_order": 50,
        },
    )
    assert response.status_code == 302
    assert Modality.objects.get(slug="oligos").name_fr == "Oligonucléotides"


@pytest.mark.django_db
def test_editors_list_and_edit_actor_profiles(client, editor, cartography):
    actor = ActorPageFactory(parent=cartography, title="Editable Bio")
    client.force_login(editor)
    response = client.get("/admin/cobioe_actors/actorpage/?country=FR")
    assert response.status_code == 200
    assert "Editable Bio" in response.content.decode()
    assert client.get(f"/admin/pages/{actor.pk}/edit/").status_code == 200
    add_url = f"/admin/pages/add/cobioe_actors/actorpage/{cartography.pk}/"
    assert client.get(add_url).status_code == 200


@pytest.mark.django_db
def test_editor_creates_a_profile_through_the_admin_form(client, editor, cartography):
    client.force_login(editor)
    add_url = f"/admin/pages/add/cobioe_actors/actorpage/{cartography.pk}/"
    from cobioe_cms.core.models import OrganisationType, ValueChainStage

    data = {
        "title": "Admin Made Bio",
        "slug": "admin-made-bio",
        "organisation_type": OrganisationType.objects.get(slug="cro").pk,
        "country": "IT",
        "city": "Milan",
        "stages": [ValueChainStage.objects.get(slug="drug-substance").pk],
        "keywords": "perfusion, single-use",
        "summary": "Made in a test.",
        "action-publish": "action-publish",
    }
    response = client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    actor = ActorPage.objects.get(slug="admin-made-bio")
    assert actor.live
    assert actor.location_precision == "city"
    assert set(actor.stages.values_list("slug", flat=True)) == {"drug-substance", "production"}
    assert " perfus " in actor.search_text  # its keyword, stemmed
    listing = client.get("/cartography/?stage=production&country=IT")
    assert "Admin Made Bio" in listing.content.decode()


@pytest.mark.django_db
def test_invalid_admin_form_keeps_what_was_typed(client, editor, cartography):
    client.force_login(editor)
    add_url = f"/admin/pages/add/cobioe_actors/actorpage/{cartography.pk}/"
    response = client.post(
        add_url,
        {
            "title": "Half Done",
            "slug": "half-done",
            "country": "US",
            "summary": "Kept text",
            "latitude": "123",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kept text" in html
    assert not ActorPage.objects.filter(slug="half-done").exists()


@pytest.mark.django_db
def test_member_pages_exist_in_french(client, cartography):
    html = client.get("/fr/accounts/signup/").content.decode()
    assert '<html lang="fr">' in html
    assert "S’inscrire" in html or "Inscription" in html or "inscri" in html.lower()
    response = client.get("/fr/members/")
    assert response.status_code == 302 and response["Location"].startswith("/fr/accounts/login/")
