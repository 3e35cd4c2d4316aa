"""Membership of working groups, policy by policy: join, request and decide, invite,
leave, remove, promote; and the e-mail each decision sends, in the member's language."""

import pytest
from django.core import mail

from cobioe_cms.community.models import GroupInvitation, GroupMembership
from tests.factories import GroupMembershipFactory, MemberFactory

from .conftest import url

pytestmark = pytest.mark.django_db


def membership(group, user):
    return GroupMembership.objects.get(group=group, user=user)


def test_anyone_signed_in_joins_an_open_group(client, open_group, member):
    client.force_login(member)
    page = client.get(open_group.url)
    assert "Join this group" in page.content.decode()
    response = client.post(url("join", open_group.pk))
    assert response.status_code == 302
    assert response["Location"] == open_group.url
    assert membership(open_group, member).status == "active"
    assert [m.to for m in mail.outbox] == [["marie@lyonbio.eu"]]
    assert "Welcome to “mRNA manufacturing”" in mail.outbox[0].subject
    assert "You are a member of this group." in client.get(open_group.url).content.decode()


def test_an_open_group_takes_no_request_and_an_approval_group_no_join(
    client, open_group, approval_group, member
):
    client.force_login(member)
    client.post(url("request", open_group.pk), {"reason": "Please"})
    client.post(url("join", approval_group.pk))
    assert not GroupMembership.objects.filter(user=member).exists()


def test_request_then_approval(client, approval_group, member, coordinator):
    client.force_login(member)
    form = client.get(url("request", approval_group.pk))
    assert form.status_code == 200
    response = client.post(url("request", approval_group.pk), {"reason": "We make CAR-T."})
    assert response.status_code == 302
    row = membership(approval_group, member)
    assert (row.status, row.reason) == ("pending", "We make CAR-T.")
    # The coordinator hears of it, with the reason and the management link.
    assert mail.outbox[-1].to == ["cora@lyonbio.eu"]
    assert "We make CAR-T." in mail.outbox[-1].body
    assert f"/community/groups/{approval_group.pk}/manage/" in mail.outbox[-1].body
    # A second request while waiting changes nothing.
    client.post(url("request", approval_group.pk), {"reason": "Again"})
    assert membership(approval_group, member).reason == "We make CAR-T."

    client.force_login(coordinator)
    manage = client.get(url("manage", approval_group.pk)).content.decode()
    assert "We make CAR-T." in manage and "Marie Member" in manage
    client.post(url("approve", approval_group.pk, row.pk))
    row.refresh_from_db()
    assert (row.status, row.decided_by, row.decided_at is not None) == ("active", coordinator, True)
    assert mail.outbox[-1].to == ["marie@lyonbio.eu"]
    assert "approved" in mail.outbox[-1].subject


def test_decline_with_a_message_and_ask_again(client, approval_group, member, coordinator):
    client.force_login(member)
    client.post(url("request", approval_group.pk), {"reason": "Hello"})
    row = membership(approval_group, member)
    client.force_login(coordinator)
    client.post(url("decline", approval_group.pk, row.pk), {"message": "Only QC labs, sorry."})
    row.refresh_from_db()
    assert (row.status, row.decision_message) == ("declined", "Only QC labs, sorry.")
    assert "Only QC labs, sorry." in mail.outbox[-1].body
    client.force_login(member)
    assert "you may ask again" in client.get(approval_group.url).content.decode()
    client.post(url("request", approval_group.pk), {"reason": "We now run a QC lab."})
    row.refresh_from_db()
    assert (row.status, row.decision_message, row.decided_by) == ("pending", "", None)


def test_the_members_language_is_used_for_the_decision(client, approval_group, member, coordinator):
    client.force_login(member)
    # Asked on the French site (/fr/...).
    client.post("/fr" + url("request", approval_group.pk), {"reason": "Bonjour"})
    row = membership(approval_group, member)
    assert row.language == "fr"
    client.force_login(coordinator)
    client.post(url("approve", approval_group.pk, row.pk))  # on the English site
    assert mail.outbox[-1].to == ["marie@lyonbio.eu"]
    assert "approuvée" in mail.outbox[-1].subject
    # The coordinator's own e-mail about the request was in English (their language).
    assert "A request to join" in mail.outbox[-2].subject


def test_invitation_of_someone_without_an_account(client, invitation_group, coordinator):
    client.force_login(coordinator)
    client.post(url("invite", invitation_group.pk), {"email": "new@vectors.eu"})
    invitation = GroupInvitation.objects.get(group=invitation_group)
    assert mail.outbox[-1].to == ["new@vectors.eu"]
    link = url("accept_invitation", invitation.token)
    assert link in mail.outbox[-1].body
    client.logout()
    # Not signed in: to the login, and back to the invitation afterwards.
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    # Sign-up and verification done: the invitee accepts.
    newcomer = MemberFactory(username="nina", email="new@vectors.eu")
    client.force_login(newcomer)
    assert "Accept the invitation" in client.get(link).content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert membership(invitation_group, newcomer).status == "active"
    assert client.get(link).status_code == 404  # used once


def test_an_invitation_needs_the_invited_address_verified(client, invitation_group, coordinator):
    client.force_login(coordinator)
    client.post(url("invite", invitation_group.pk), {"email": "new@vectors.eu"})
    invitation = GroupInvitation.objects.get()
    someone_else = MemberFactory(username="sam", email="sam@example.org")
    client.force_login(someone_else)
    response = client.post(url("accept_invitation", invitation.token))
    assert response.status_code == 200
    assert "Add and verify that address" in response.content.decode()
    assert not GroupMembership.objects.filter(user=someone_else).exists()


def test_an_invitation_only_group_cannot_be_joined_or_requested(client, invitation_group, member):
    client.force_login(member)
    assert "by invitation only" in client.get(invitation_group.url).content.decode()
    client.post(url("join", invitation_group.pk))
    client.post(url("request", invitation_group.pk), {"reason": "Me"})
    assert not GroupMembership.objects.filter(user=member).exists()


def test_a_coordinator_invites_to_any_group_and_cancels(client, open_group, coordinator):
    client.force_login(coordinator)
    client.post(url("invite", open_group.pk), {"email": "x@example.org"})
    client.post(url("invite", open_group.pk), {"email": "x@example.org"})  # still waiting
    assert GroupInvitation.objects.count() == 1
    invitation = GroupInvitation.objects.get()
    client.post(url("cancel_invitation", open_group.pk, invitation.pk))
    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None
    client.logout()
    client.force_login(MemberFactory(username="x", email="x@example.org"))
    assert client.get(url("accept_invitation", invitation.token)).status_code == 404


def test_leave_and_the_last_coordinator(client, open_group, member, coordinator):
    GroupMembershipFactory(group=open_group, user=member)
    client.force_login(coordinator)
    client.post(url("leave", open_group.pk))
    assert membership(open_group, coordinator).is_coordinator  # the only one stays
    client.post(url("promote", open_group.pk, membership(open_group, member).pk))
    assert membership(open_group, member).is_coordinator
    assert "You now coordinate" in mail.outbox[-1].subject
    client.post(url("leave", open_group.pk))
    assert membership(open_group, coordinator).status == "left"


def test_remove_a_member(client, open_group, member, coordinator):
    row = GroupMembershipFactory(group=open_group, user=member)
    client.force_login(coordinator)
    client.post(url("remove", open_group.pk, row.pk), {"message": "Inactive for a year."})
    row.refresh_from_db()
    assert (row.status, row.decided_by) == ("removed", coordinator)
    assert "Inactive for a year." in mail.outbox[-1].body
    # Removed: joining again is refused (an invitation would let them back).
    client.force_login(member)
    client.post(url("join", open_group.pk))
    row.refresh_from_db()
    assert row.status == "removed"


def test_the_public_sees_a_count_members_see_names_and_organisations(
    client, open_group, member, coordinator, cartography
):
    from tests.factories import ActorPageFactory, RepresentativeFactory

    lyon = ActorPageFactory(parent=cartography, title="Lyon Biologics")
    RepresentativeFactory(user=member, actor=lyon)
    GroupMembershipFactory(group=open_group, user=member)
    public = client.get(open_group.url).content.decode()
    assert "<dd>2</dd>" in public
    assert "Marie Member" not in public and "Cora Coord" not in public
    client.force_login(member)
    inside = client.get(open_group.url).content.decode()
    assert "Marie Member" in inside and "Lyon Biologics" in inside and "Cora Coord" in inside


def test_the_dashboard_lists_groups_and_pending_requests(
    client, open_group, approval_group, member
):
    GroupMembershipFactory(group=open_group, user=member)
    GroupMembershipFactory(group=approval_group, user=member, status="pending")
    client.force_login(member)
    html = client.get("/members/").content.decode()
    assert "My working groups" in html
    assert "mRNA manufacturing" in html
    assert "Requests waiting for approval" in html and "Cell therapy QC" in html


def test_an_invitation_is_written_in_the_coordinators_language(
    client, invitation_group, coordinator
):
    client.force_login(coordinator)
    client.post("/fr" + url("invite", invitation_group.pk), {"email": "nouveau@vecteurs.fr"})
    assert mail.outbox[-1].to == ["nouveau@vecteurs.fr"]
    assert "Une invitation à rejoindre « Steering committee »" in mail.outbox[-1].subject
    assert "vous invite à rejoindre le groupe de travail" in mail.outbox[-1].body
