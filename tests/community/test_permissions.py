"""Who may manage a group: its coordinators and the editors; nobody else, whatever they
post. A matrix of roles × actions."""

import pytest

from cobioe_cms.community.models import GroupMembership
from tests.factories import GroupMembershipFactory, MemberFactory, WorkingGroupPageFactory

from .conftest import url

pytestmark = pytest.mark.django_db

ACTIONS = ["approve", "decline", "remove", "promote"]


@pytest.fixture
def applicant(approval_group):
    user = MemberFactory(username="anna", email="anna@example.org")
    return GroupMembershipFactory(group=approval_group, user=user, status="pending", reason="Hi")


@pytest.fixture
def plain_member(approval_group, member):
    return GroupMembershipFactory(group=approval_group, user=member)


@pytest.fixture
def other_coordinator(groups_index, outsider):
    other = WorkingGroupPageFactory(parent=groups_index, title="Other group")
    GroupMembershipFactory(group=other, user=outsider, role="coordinator")
    return outsider


def target_for(action, applicant, plain_member):
    return applicant if action in {"approve", "decline"} else plain_member


@pytest.mark.parametrize("action", ACTIONS)
def test_a_member_who_is_not_coordinator_cannot_manage(
    client, approval_group, applicant, plain_member, member, action
):
    target = target_for(action, applicant, plain_member)
    rows = GroupMembership.objects.values_list("pk", "status", "role", "decided_by").order_by("pk")
    before = list(rows)
    client.force_login(member)
    response = client.post(url(action, approval_group.pk, target.pk))
    assert response.status_code == 403
    assert list(rows.all()) == before
    assert client.get(url("manage", approval_group.pk)).status_code == 403
    assert (
        client.post(url("invite", approval_group.pk), {"email": "z@example.org"}).status_code == 403
    )


@pytest.mark.parametrize("action", ACTIONS)
def test_a_coordinator_of_another_group_cannot_manage_this_one(
    client, approval_group, applicant, plain_member, other_coordinator, action
):
    target = target_for(action, applicant, plain_member)
    client.force_login(other_coordinator)
    assert client.post(url(action, approval_group.pk, target.pk)).status_code == 403
    target.refresh_from_db()
    assert target.decided_by is None


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_visitors_are_sent_to_the_login(client, approval_group, applicant, action):
    response = client.post(url(action, approval_group.pk, applicant.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    applicant.refresh_from_db()
    assert applicant.status == "pending"


def test_anonymous_visitors_cannot_join_or_manage(client, open_group):
    for target in (
        url("join", open_group.pk),
        url("request", open_group.pk),
        url("manage", open_group.pk),
    ):
        response = client.post(target)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert not GroupMembership.objects.exclude(role="coordinator").exists()


def test_an_unverified_account_cannot_join(client, open_group):
    from tests.factories import UserFactory

    client.force_login(UserFactory(verified=False))
    client.post(url("join", open_group.pk))
    assert GroupMembership.objects.filter(group=open_group).count() == 1  # the coordinator


@pytest.mark.parametrize("action", ACTIONS)
def test_the_coordinator_and_an_editor_can(
    client, approval_group, applicant, plain_member, coordinator, editor, action
):
    for manager in (coordinator, editor):
        target = target_for(action, applicant, plain_member)
        target.status = "pending" if action in {"approve", "decline"} else "active"
        target.role = "member"
        target.save()
        client.force_login(manager)
        response = client.post(url(action, approval_group.pk, target.pk))
        assert response.status_code == 302
        target.refresh_from_db()
        assert target.decided_by == manager
    client.force_login(editor)
    assert client.get(url("manage", approval_group.pk)).status_code == 200


def test_the_group_page_shows_manage_only_to_managers(client, approval_group, coordinator, member):
    GroupMembershipFactory(group=approval_group, user=member)
    client.force_login(member)
    assert "Manage the group" not in client.get(approval_group.url).content.decode()
    client.force_login(coordinator)
    assert "Manage the group" in client.get(approval_group.url).content.decode()
