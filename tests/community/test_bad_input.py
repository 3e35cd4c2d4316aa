"""Bad input changes nothing and gets a clear answer, never a 500: unknown ids, another
group's membership, GET on POST-only views, forged posts without a CSRF token, an
over-long reason or message, a malformed address, an unknown invitation token."""

import pytest
from django.core import mail
from django.test import Client

from cobioe_cms.community.models import GroupInvitation, GroupMembership
from tests.factories import GroupMembershipFactory, MemberFactory, WorkingGroupPageFactory

from .conftest import url

pytestmark = pytest.mark.django_db


def test_unknown_group_and_membership_ids_are_404(client, approval_group, coordinator):
    client.force_login(coordinator)
    assert client.post(url("join", 999999)).status_code == 404
    assert client.get(url("manage", 999999)).status_code == 404
    assert client.post(url("approve", approval_group.pk, 999999)).status_code == 404
    assert client.post(url("cancel_invitation", approval_group.pk, 999999)).status_code == 404
    assert client.get("/community/groups/abc/join/").status_code == 404


def test_a_membership_of_another_group_is_404(client, groups_index, approval_group, coordinator):
    other = WorkingGroupPageFactory(parent=groups_index, title="Elsewhere")
    foreign = GroupMembershipFactory(group=other, status="pending")
    client.force_login(coordinator)  # coordinates approval_group, not "Elsewhere"
    for action in ("approve", "decline", "remove", "promote"):
        assert client.post(url(action, approval_group.pk, foreign.pk)).status_code == 404
    foreign.refresh_from_db()
    assert (foreign.status, foreign.decided_by) == ("pending", None)


def test_a_page_that_is_not_a_group_is_404(client, groups_index, member):
    client.force_login(member)
    assert client.post(url("join", groups_index.pk)).status_code == 404


def test_an_unpublished_group_is_404(client, open_group, member):
    open_group.unpublish()
    client.force_login(member)
    assert client.post(url("join", open_group.pk)).status_code == 404


@pytest.mark.parametrize("name", ["join", "leave", "invite"])
def test_get_on_a_post_only_view_is_405(client, open_group, coordinator, name):
    client.force_login(coordinator)
    assert client.get(url(name, open_group.pk)).status_code == 405


@pytest.mark.parametrize("name", ["approve", "decline", "remove", "promote"])
def test_get_on_a_decision_is_405(client, approval_group, coordinator, name):
    row = GroupMembershipFactory(group=approval_group, status="pending")
    client.force_login(coordinator)
    assert client.get(url(name, approval_group.pk, row.pk)).status_code == 405
    row.refresh_from_db()
    assert row.status == "pending"


def test_a_forged_post_without_csrf_token_is_refused(open_group, member):
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(member)
    assert forged.post(url("join", open_group.pk)).status_code == 403
    assert not GroupMembership.objects.filter(user=member).exists()


def test_an_over_long_reason_is_a_form_error(client, approval_group, member):
    client.force_login(member)
    response = client.post(url("request", approval_group.pk), {"reason": "x" * 1001})
    assert response.status_code == 200
    assert "form-field__error" in response.content.decode()
    assert not GroupMembership.objects.filter(user=member).exists()
    assert mail.outbox == []


def test_an_empty_reason_is_a_form_error(client, approval_group, member):
    client.force_login(member)
    response = client.post(url("request", approval_group.pk), {"reason": ""})
    assert response.status_code == 200
    assert not GroupMembership.objects.filter(user=member).exists()


def test_an_over_long_decline_message_changes_nothing(client, approval_group, coordinator):
    row = GroupMembershipFactory(group=approval_group, status="pending")
    client.force_login(coordinator)
    response = client.post(
        url("decline", approval_group.pk, row.pk), {"message": "y" * 1001}, follow=True
    )
    assert "too long" in response.content.decode()
    row.refresh_from_db()
    assert row.status == "pending"


def test_a_malformed_address_is_refused(client, open_group, coordinator):
    client.force_login(coordinator)
    response = client.post(url("invite", open_group.pk), {"email": "not an address"}, follow=True)
    assert "Enter a valid e-mail address." in response.content.decode()
    assert not GroupInvitation.objects.exists()


def test_an_unknown_or_huge_invitation_token_is_404(client, member):
    client.force_login(member)
    assert client.get(url("accept_invitation", "nope")).status_code == 404
    assert client.post(url("accept_invitation", "x" * 5000)).status_code == 404


def test_deciding_twice_is_refused(client, approval_group, coordinator):
    row = GroupMembershipFactory(group=approval_group, status="pending")
    client.force_login(coordinator)
    client.post(url("approve", approval_group.pk, row.pk))
    response = client.post(url("decline", approval_group.pk, row.pk), follow=True)
    assert "already decided" in response.content.decode()
    row.refresh_from_db()
    assert row.status == "active"


def test_a_coordinator_cannot_remove_themselves_or_the_last_coordinator(
    client, open_group, coordinator, editor
):
    own = GroupMembership.objects.get(group=open_group, user=coordinator)
    client.force_login(coordinator)
    client.post(url("remove", open_group.pk, own.pk))
    client.force_login(editor)
    client.post(url("remove", open_group.pk, own.pk))
    own.refresh_from_db()
    assert own.is_coordinator


def test_invitations_are_rate_limited(client, open_group, coordinator):
    client.force_login(coordinator)
    for n in range(35):
        client.post(url("invite", open_group.pk), {"email": f"p{n}@example.org"})
    assert GroupInvitation.objects.count() == 30


def test_leaving_a_group_one_is_not_in(client, open_group):
    client.force_login(MemberFactory())
    response = client.post(url("leave", open_group.pk), follow=True)
    assert response.status_code == 200
    assert "You are not a member of this group." in response.content.decode()


def test_joins_and_requests_are_rate_limited(client, groups_index, coordinator, member):
    client.force_login(member)
    groups = [
        WorkingGroupPageFactory(parent=groups_index, title=f"Open {n}", membership_policy="open")
        for n in range(21)
    ]
    for group in groups:
        client.post(url("join", group.pk))
    assert GroupMembership.objects.filter(user=member).count() == 20
    response = client.post(url("join", groups[-1].pk), follow=True)
    assert "try tomorrow" in response.content.decode()
