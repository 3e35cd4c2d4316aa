"""Members propose working groups; editors approve them in the admin (the group is
published and the proposer coordinates it) or reject them; both are e-mailed."""

import pytest
from django.core import mail
from django.urls import reverse

from cobioe_cms.community.models import GroupMembership, GroupProposal, WorkingGroupPage

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "title": "Continuous bioprocessing",
    "summary": "Perfusion and continuous downstream.",
    "mission": "Share <b>results</b>.\n\nMeet twice a year.",
    "membership_policy": "approval",
    "discussion_visibility": "members",
}


def propose(client, member, **changes):
    client.force_login(member)
    return client.post(reverse("community:propose"), {**PROPOSAL, **changes})


def test_a_member_proposes_and_an_editor_approves(client, groups_index, member, editor):
    assert propose(client, member).status_code == 302
    proposal = GroupProposal.objects.get()
    assert proposal.status == "pending"
    assert mail.outbox[-1].to == ["edith@cobioe.eu"]  # the editors hear of it
    client.force_login(editor)
    listing = client.get(reverse("community_admin:proposals"))
    assert "Continuous bioprocessing" in listing.content.decode()
    client.post(reverse("community_admin:decide", args=[proposal.pk]), {"action": "approve"})
    group = WorkingGroupPage.objects.get(title="Continuous bioprocessing")
    assert group.live and group.get_parent().pk == groups_index.pk
    assert (group.membership_policy, group.discussion_visibility) == ("approval", "members")
    assert "&lt;b&gt;results&lt;/b&gt;" in group.mission  # the member's text, escaped
    coordinator = GroupMembership.objects.get(group=group)
    assert (coordinator.user, coordinator.role, coordinator.status) == (
        member,
        "coordinator",
        "active",
    )
    assert mail.outbox[-1].to == ["marie@lyonbio.eu"]
    assert "is open" in mail.outbox[-1].subject
    proposal.refresh_from_db()
    assert (proposal.status, proposal.group, proposal.reviewed_by) == ("approved", group, editor)


def test_rejection_with_a_note_in_the_proposers_language(client, groups_index, member, editor):
    client.force_login(member)
    client.post("/fr" + reverse("community:propose"), PROPOSAL)
    proposal = GroupProposal.objects.get()
    client.force_login(editor)
    client.post(
        reverse("community_admin:decide", args=[proposal.pk]),
        {"action": "reject", "note": "A group on this exists already."},
    )
    assert not WorkingGroupPage.objects.exists()
    assert "A group on this exists already." in mail.outbox[-1].body
    assert "Votre proposition" in mail.outbox[-1].subject
    # Deciding again changes nothing.
    client.post(reverse("community_admin:decide", args=[proposal.pk]), {"action": "approve"})
    assert not WorkingGroupPage.objects.exists()


def test_members_cannot_review_proposals(client, groups_index, member):
    propose(client, member)
    proposal = GroupProposal.objects.get()
    assert client.get(reverse("community_admin:proposals")).status_code in {302, 403}
    client.post(reverse("community_admin:decide", args=[proposal.pk]), {"action": "approve"})
    assert not WorkingGroupPage.objects.exists()


def test_bad_proposals(client, groups_index, member, editor):
    response = propose(client, member, title="", membership_policy="anything")
    assert response.status_code == 200
    assert "form-field__error" in response.content.decode()
    response = propose(client, member, mission="x" * 5001)
    assert response.status_code == 200
    assert not GroupProposal.objects.exists()
    for _n in range(4):
        propose(client, member)
    assert GroupProposal.objects.count() == 3  # the daily limit
    client.force_login(editor)
    proposal = GroupProposal.objects.first()
    client.post(reverse("community_admin:decide", args=[proposal.pk]), {"action": "explode"})
    proposal.refresh_from_db()
    assert proposal.status == "pending"
    assert client.get(reverse("community_admin:decide", args=[proposal.pk])).status_code == 405
    assert (
        client.post(reverse("community_admin:decide", args=[999999]), {"action": "approve"})
    ).status_code == 404


def test_editors_list_memberships_in_the_admin(client, editor, open_group):
    client.force_login(editor)
    response = client.get("/admin/cobioe_community/groupmembership/")
    assert response.status_code == 200
    assert "mRNA manufacturing" in response.content.decode()


def test_editors_change_a_role_in_the_admin_but_add_no_membership(client, editor, open_group):
    row = GroupMembership.objects.get(group=open_group)
    row.role = "member"
    row.save()
    client.force_login(editor)
    edit_url = f"/admin/cobioe_community/groupmembership/edit/{row.pk}/"
    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, {"role": "coordinator", "status": "active"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.role == "coordinator"
    assert client.get("/admin/cobioe_community/groupmembership/create/").status_code in {302, 403}
