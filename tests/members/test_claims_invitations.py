"""Claims reviewed by editors, and invitations between colleagues."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from cobioe_cms.members.models import Claim, Invitation, Representative
from tests.factories import MemberFactory


@pytest.mark.django_db
def test_claim_with_domain_evidence_is_approved_by_an_editor(client, member, lyon, editor):
    client.force_login(member)
    page = client.get(f"/members/organisations/{lyon.pk}/claim/").content.decode()
    assert "is on the organisation's website domain" in page
    mail.outbox.clear()
    client.post(f"/members/organisations/{lyon.pk}/claim/", {"message": "I run QC."})
    claim = Claim.objects.get(user=member, actor=lyon)
    assert claim.domain_matches
    assert claim.status == Claim.Status.PENDING
    (to_editors,) = mail.outbox
    assert "edith@cobioe.eu" in to_editors.bcc
    assert "website domain" in to_editors.body and "I run QC." in to_editors.body
    # A second claim while one is pending is not created.
    client.post(f"/members/organisations/{lyon.pk}/claim/", {"message": "again"})
    assert Claim.objects.filter(user=member, actor=lyon).count() == 1

    mail.outbox.clear()
    client.force_login(editor)
    listing = client.get("/admin/claims/").content.decode()
    assert "Lyon Biologics" in listing and "e-mail on the website" in listing
    client.post(f"/admin/claims/{claim.pk}/decide/", {"action": "approve", "note": "Welcome"})
    assert Representative.objects.filter(user=member, actor=lyon).exists()
    (to_member,) = mail.outbox
    assert to_member.to == ["marie@lyonbio.eu"] and "You now represent" in to_member.subject
    # Deciding twice changes nothing.
    client.post(f"/admin/claims/{claim.pk}/decide/", {"action": "reject"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED


@pytest.mark.django_db
def test_claim_without_evidence_can_be_rejected_with_a_note(client, other_member, lyon, editor):
    client.force_login(other_member)
    client.post(f"/members/organisations/{lyon.pk}/claim/", {"message": ""})
    claim = Claim.objects.get(user=other_member)
    assert not claim.domain_matches
    client.force_login(editor)
    mail.outbox.clear()
    client.post(f"/admin/claims/{claim.pk}/decide/", {"action": "reject", "note": "Unknown"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED
    assert not Representative.objects.filter(user=other_member).exists()
    assert "Unknown" in mail.outbox[0].body


@pytest.mark.django_db
def test_forged_claim_decision_is_refused(client, other_member, lyon, editor):
    claim = Claim.objects.create(user=other_member, actor=lyon, email=other_member.email)
    client.force_login(editor)
    client.post(f"/admin/claims/{claim.pk}/decide/", {"action": "make-admin"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING
    assert client.post("/admin/claims/999999/decide/", {"action": "approve"}).status_code == 404


@pytest.mark.django_db
def test_unpublished_profiles_cannot_be_claimed(client, member, cartography):
    from tests.factories import ActorPageFactory

    draft = ActorPageFactory(parent=cartography, title="Draft Only", live=False)
    client.force_login(member)
    assert client.get(f"/members/organisations/{draft.pk}/claim/").status_code == 404
    assert client.post(f"/members/organisations/{draft.pk}/claim/").status_code == 404
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_claims_are_rate_limited(client, member, cartography):
    from tests.factories import ActorPageFactory

    client.force_login(member)
    for n in range(12):
        actor = ActorPageFactory(parent=cartography, title=f"Target {n}")
        response = client.post(f"/members/organisations/{actor.pk}/claim/", {"message": ""})
    assert Claim.objects.filter(user=member).count() == 10
    assert "You have sent many claims today" in response.content.decode()


@pytest.mark.django_db
def test_invitation_round_trip(client, representative, lyon):
    client.force_login(representative)
    mail.outbox.clear()
    client.post(f"/members/organisations/{lyon.pk}/invite/", {"email": "colleague@lyonbio.eu"})
    invitation = Invitation.objects.get(email="colleague@lyonbio.eu")
    (message,) = mail.outbox
    assert message.to == ["colleague@lyonbio.eu"]
    assert f"/members/invitations/{invitation.token}/" in message.body

    colleague = MemberFactory(username="carl", email="colleague@lyonbio.eu")
    client.force_login(colleague)
    url = f"/members/invitations/{invitation.token}/"
    assert "Accept the invitation" in client.get(url).content.decode()
    client.post(url)
    assert Representative.objects.filter(user=colleague, actor=lyon).exists()
    # A used link is no longer valid.
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_invitation_needs_the_invited_address(client, representative, lyon, other_member):
    invitation = Invitation.objects.create(
        actor=lyon, email="someone@else.eu", invited_by=representative
    )
    client.force_login(other_member)
    url = f"/members/invitations/{invitation.token}/"
    assert "Add and verify that address" in client.get(url).content.decode()
    client.post(url)
    assert not Representative.objects.filter(user=other_member).exists()


@pytest.mark.django_db
def test_expired_or_unknown_invitations(client, representative, lyon, other_member):
    invitation = Invitation.objects.create(
        actor=lyon, email=other_member.email, invited_by=representative
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=15)
    )
    client.force_login(other_member)
    assert client.post(f"/members/invitations/{invitation.token}/").status_code == 404
    assert client.get("/members/invitations/not-a-token/").status_code == 404
    assert client.get("/members/invitations/" + "x" * 500 + "/").status_code == 404
    assert not Representative.objects.filter(user=other_member).exists()


@pytest.mark.django_db
def test_invalid_invitation_address_is_refused(client, representative, lyon):
    client.force_login(representative)
    response = client.post(
        f"/members/organisations/{lyon.pk}/invite/", {"email": "not an address"}, follow=True
    )
    assert "Enter a valid e-mail address." in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_editors_invite_contacts_of_unrepresented_organisations(
    client, editor, member, cartography, representative, lyon
):
    from tests.factories import ActorPageFactory

    imported = ActorPageFactory(
        parent=cartography, title="Imported Bio", contact_email="contact@imported.eu"
    )
    ActorPageFactory(parent=cartography, title="No Contact Bio")
    type(lyon).objects.filter(pk=lyon.pk).update(contact_email="qc@lyonbio.eu")
    client.force_login(member)
    assert client.get("/admin/claims/unrepresented/").status_code == 302  # no admin access
    client.force_login(editor)
    page = client.get("/admin/claims/unrepresented/").content.decode()
    assert "Imported Bio" in page
    assert "No Contact Bio" not in page and "Lyon Biologics" not in page
    mail.outbox.clear()
    client.post("/admin/claims/unrepresented/", {"actor": [imported.pk, lyon.pk, "x"]})
    assert [m.to for m in mail.outbox] == [["contact@imported.eu"]]
    client.post("/admin/claims/unrepresented/", {"actor": [imported.pk]})
    assert Invitation.objects.filter(actor=imported).count() == 1  # not twice
