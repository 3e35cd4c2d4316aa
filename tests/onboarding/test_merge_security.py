"""Issue 9 (security review), item 4: the duplicate finder must not hand a real
organisation to the author of a look-alike draft. Played through the member's and the
editor's real requests."""

import pytest
from django.urls import reverse

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.actors.signals import actors_merged
from cobioe_cms.core.models import OrganisationType
from cobioe_cms.members.models import Claim, Representative
from tests.factories import ActorPageFactory, MemberFactory


@pytest.fixture
def genopole(cartography):
    return ActorPageFactory(
        parent=cartography,
        title="Genopole",
        slug="genopole",
        city="Évry",
        website="https://www.genopole.fr",
    )


def create_look_alike(client, title="GENOPOLE SAS", **extra):
    """A member adds a look-alike organisation through the front end (a draft)."""
    member = MemberFactory(username="mallory", email="mallory@example.org")
    client.force_login(member)
    form = {
        "title": title,
        "organisation_type": OrganisationType.objects.get(slug="company").pk,
        "country": "FR",
        "city": "Évry",
        "summary": "We are Genopole, write to us.",
        "contact_email": "mallory@example.org",
        "confirm_new": "1",
        **extra,
    }
    assert client.post("/members/organisations/new/", form).status_code == 302
    return member, ActorPage.objects.get(title=title)


def test_a_members_unreviewed_draft_is_no_merge_candidate(client, editor, genopole):
    member, draft = create_look_alike(client)
    before = ActorPage.objects.get(pk=genopole.pk).latest_revision_id
    client.force_login(editor)
    html = client.get(reverse("cobioe_actor_import:duplicates")).content.decode()
    assert "No likely duplicates." in html

    # The merge, forged straight to its URL, keeping either profile.
    url = reverse("cobioe_actor_import:merge", args=[genopole.pk, draft.pk])
    for keep in (genopole.pk, draft.pk):
        assert client.get(f"{url}?keep={keep}").status_code == 302
        response = client.post(url, {"keep": keep}, follow=True)
        page = response.content.decode()
        assert "has never been published" in page and "Nothing was changed." in page
    genopole = ActorPage.objects.get(pk=genopole.pk)
    assert genopole.latest_revision_id == before and genopole.live
    assert not Representative.objects.filter(user=member, actor=genopole).exists()
    assert ActorPage.objects.get(pk=draft.pk).merged_into_id is None


def test_a_merge_takes_only_the_reviewed_values_and_says_what_happens_to_people(
    client, editor, genopole, cartography
):
    # A published duplicate whose representative then saves an unreviewed draft.
    duplicate = ActorPageFactory(
        parent=cartography, title="GENOPOLE SAS", slug="genopole-sas", city="Évry", acronym="GNP"
    )
    holder = MemberFactory(username="hugo", email="hugo@genopole.fr")
    Representative.objects.create(user=holder, actor=duplicate)
    client.force_login(holder)
    response = client.post(
        f"/members/organisations/{duplicate.pk}/edit/",
        {
            "title": "GENOPOLE SAS",
            "organisation_type": duplicate.organisation_type_id,
            "country": "FR",
            "city": "Évry",
            "summary": "Unreviewed claim to be Genopole.",
            "contact_email": "hijack@evil.example",
        },
    )
    assert response.status_code == 302

    client.force_login(editor)
    url = reverse("cobioe_actor_import:merge", args=[genopole.pk, duplicate.pk])
    confirm = client.get(f"{url}?keep={genopole.pk}").content.decode()
    assert "GNP" in confirm  # the published value
    assert "hijack@evil.example" not in confirm and "Unreviewed claim" not in confirm
    assert "as it was last published" in confirm
    assert "1 person who represents “GENOPOLE SAS” will represent “Genopole”." in confirm

    client.post(url, {"keep": genopole.pk})
    kept = ActorPage.objects.get(pk=genopole.pk)
    assert kept.acronym == "GNP"
    assert kept.contact_email == "" and kept.summary == ""
    latest = kept.get_latest_revision_as_object()
    assert latest.contact_email == "" and "Unreviewed" not in latest.summary
    # A representative of a published (reviewed) profile follows it.
    assert Representative.objects.filter(user=holder, actor=kept).exists()


def test_representatives_of_a_never_published_profile_become_claims(client, editor, genopole):
    member, draft = create_look_alike(client)
    # Whatever path merges such a draft (the finder refuses it), its author gets a
    # claim for the editors to decide, not the organisation.
    actors_merged.send(sender=ActorPage, kept=genopole, removed=draft, user=editor)
    assert not Representative.objects.filter(user=member, actor=genopole).exists()
    claim = Claim.objects.get(user=member, actor=genopole)
    assert claim.status == Claim.Status.PENDING and not claim.domain_matches
    assert "GENOPOLE SAS" in claim.message
