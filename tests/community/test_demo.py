"""The demo working groups: load_demo adds a groups index and one group per policy and
visibility when cobioe_cms.community is installed; the demo member coordinates one and
belongs to another, whichever of load_demo and load_demo_members runs first."""

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command

from cobioe_cms.community.models import GroupMembership, WorkingGroupIndexPage, WorkingGroupPage

pytestmark = pytest.mark.django_db


def test_load_demo_adds_groups_of_each_policy_and_visibility():
    out = io.StringIO()
    call_command("load_demo", actors=1, seed=1, stdout=out)
    call_command("load_demo_members", stdout=io.StringIO())
    assert "Demo working groups: 6 new." in out.getvalue()
    groups = WorkingGroupPage.objects.live().filter(is_demo=True)
    combinations = {(g.membership_policy, g.discussion_visibility) for g in groups}
    assert combinations == {
        (policy, visibility)
        for policy in ("open", "approval", "invitation")
        for visibility in ("public", "members")
    }
    assert all(g.memberships.coordinators().exists() for g in groups)
    member = User.objects.get(email="member@example.org")
    rows = GroupMembership.objects.filter(user=member, status="active")
    assert sorted(rows.values_list("role", flat=True)) == ["coordinator", "member"]

    # Again: nothing new, nothing doubled.
    out = io.StringIO()
    call_command("load_demo", actors=1, seed=1, stdout=out)
    assert "Demo working groups: 0 new." in out.getvalue()
    assert WorkingGroupIndexPage.objects.count() == 1
    assert GroupMembership.objects.filter(user=member).count() == 2


def test_the_demo_member_is_placed_when_loaded_first():
    call_command("load_demo", actors=1, seed=1, stdout=io.StringIO())  # groups, no member yet
    assert not GroupMembership.objects.filter(user__email="member@example.org").exists()
    call_command("load_demo_members", stdout=io.StringIO())
    assert GroupMembership.objects.filter(user__email="member@example.org").count() == 2


def test_no_groups_without_the_community_app(monkeypatch):
    installed = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda name: name != "cobioe_cms.community" and installed(name)
    )
    out = io.StringIO()
    call_command("load_demo", actors=1, seed=1, stdout=out)
    assert "working groups" not in out.getvalue()
    assert not WorkingGroupPage.objects.exists()


def test_the_demo_groups_pages_answer(client):
    call_command("load_demo", actors=1, seed=1, stdout=io.StringIO())
    index = WorkingGroupIndexPage.objects.get()
    page = client.get(index.url).content.decode()
    assert "6 working groups" in page
    assert (
        client.get(index.url + "?stage=production").content.decode().count('class="group-card"')
        == 2
    )
