"""The community pages in a real browser: axe-core's WCAG 2.1 A/AA rules find no
violation on the groups list, a group, the coordinators' page and the forms, in English
and French; and a member joins, asks to join, and a coordinator approves, by clicking."""

import re

import pytest
from django.test import Client

from cobioe_cms.community.models import WorkingGroupIndexPage
from cobioe_cms.core.models import PortalHomePage
from tests.factories import GroupMembershipFactory, MemberFactory, WorkingGroupPageFactory

from .test_accessibility import assert_no_violations, open_page, share_session

# The live server needs transactional tests: see ``site_snapshot`` in conftest.py.
pytestmark = pytest.mark.django_db(transaction=True)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def community(restored_site):
    """A groups list under the home page: an open group, one on approval, one by
    invitation, on different topics; Cora coordinates them, Marie is in none."""
    home = PortalHomePage.objects.get()
    index = WorkingGroupIndexPage(title="Working groups", slug="groups")
    home.add_child(instance=index)
    index.save_revision().publish()
    coordinator = MemberFactory(username="cora", email="cora@lyonbio.eu", full_name="Cora Coord")
    member = MemberFactory(username="marie", email="marie@lyonbio.eu", full_name="Marie Member")
    groups = {}
    for key, policy, title, kwargs in [
        ("open", "open", "mRNA manufacturing", {"stages": ["production"], "countries": ["DE"]}),
        ("approval", "approval", "Cell therapy QC", {"countries": ["FR"]}),
        ("invitation", "invitation", "Steering committee", {"discussion_visibility": "members"}),
    ]:
        group = WorkingGroupPageFactory(
            parent=index, title=title, membership_policy=policy, **kwargs
        )
        GroupMembershipFactory(group=group, user=coordinator, role="coordinator")
        groups[key] = group
    # A request waits on the approval group, so the coordinators' page shows one.
    GroupMembershipFactory(group=groups["approval"], status="pending", reason="We make LNPs.")
    return {"index": index, "groups": groups, "coordinator": coordinator, "member": member}


@pytest.fixture
def member_client(community) -> Client:
    return _client(community["member"])


@pytest.fixture
def coordinator_client(community) -> Client:
    return _client(community["coordinator"])


LANGUAGES = pytest.mark.parametrize("prefix", ["", "/fr"])


def open_in(page, prefix: str, path: str) -> None:
    """``open_page`` on the English site or the French one (``prefix`` "/fr")."""
    open_page(page, prefix + path)
    expected = "fr" if prefix == "/fr" else "en"
    assert page.evaluate("document.documentElement.lang") == expected


@LANGUAGES
@pytest.mark.parametrize("query", ["", "?stage=production&country=DE"])
def test_groups_list_passes_axe(page, community, prefix, query):
    open_in(page, prefix, f"{community['index'].url}{query}")
    assert page.get_by_role("heading", name="mRNA manufacturing").count() == 1
    assert_no_violations(page)


@LANGUAGES
def test_group_page_passes_axe_for_a_visitor(page, community, prefix):
    open_in(page, prefix, community["groups"]["approval"].url)
    assert_no_violations(page)


@LANGUAGES
def test_group_page_passes_axe_for_a_member(page, live_server, community, prefix):
    group = community["groups"]["open"]
    GroupMembershipFactory(group=group, user=community["member"])
    share_session(page, live_server, _client(community["member"]))
    open_in(page, prefix, group.url)
    assert page.locator(".member-list").count() == 1, "members see the member list"
    assert_no_violations(page)


@LANGUAGES
def test_management_page_passes_axe(page, live_server, community, coordinator_client, prefix):
    share_session(page, live_server, coordinator_client)
    open_in(page, prefix, f"/community/groups/{community['groups']['approval'].pk}/manage/")
    assert page.get_by_text("We make LNPs.").count() == 1
    assert_no_violations(page)


@LANGUAGES
def test_request_form_passes_axe(page, live_server, community, member_client, prefix):
    share_session(page, live_server, member_client)
    open_in(page, prefix, f"/community/groups/{community['groups']['approval'].pk}/request/")
    assert page.locator("main form textarea").count() == 1
    assert_no_violations(page)


@LANGUAGES
def test_proposal_form_passes_axe(page, live_server, member_client, prefix):
    share_session(page, live_server, member_client)
    open_in(page, prefix, "/community/groups/propose/")
    assert page.locator("main form").count() >= 1
    assert_no_violations(page)


def test_join_an_open_group(page, live_server, community, member_client):
    from playwright.sync_api import expect

    share_session(page, live_server, member_client)
    open_page(page, community["groups"]["open"].url)
    page.get_by_role("button", name="Join this group").click()
    expect(page.get_by_text("You are a member of this group.")).to_be_visible()
    members = page.get_by_role("region", name="Members")
    expect(members.get_by_role("listitem").filter(has_text="Marie Member")).to_have_count(1)
    assert_no_violations(page)


def test_request_then_approval(browser, page, live_server, community, member_client):
    from playwright.sync_api import expect

    group = community["groups"]["approval"]
    share_session(page, live_server, member_client)
    open_page(page, group.url)
    page.get_by_role("link", name="Ask to join this group").click()
    page.get_by_label("Why do you want to join?").fill("We run a CAR-T QC lab.")
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url(re.compile(re.escape(group.url) + "$"))
    expect(page.get_by_text("Your request is waiting for the coordinators.")).to_be_visible()

    # The coordinator, in a browser of their own.
    context = browser.new_context(base_url=live_server.url)
    try:
        coordinator = context.new_page()
        coordinator.set_default_timeout(10_000)
        share_session(coordinator, live_server, _client(community["coordinator"]))
        open_page(coordinator, f"/community/groups/{group.pk}/manage/")
        requests = coordinator.get_by_role("region", name="Requests to join")
        request = requests.get_by_role("listitem").filter(has_text="We run a CAR-T QC lab.")
        request.get_by_role("button", name="Approve Marie Member").click()
        members = coordinator.get_by_role("region", name="Members")
        expect(members.get_by_role("cell", name="Marie Member", exact=True)).to_have_count(1)
        expect(coordinator.get_by_text("We run a CAR-T QC lab.")).to_have_count(0)
    finally:
        context.close()

    page.reload()
    expect(page.get_by_text("You are a member of this group.")).to_be_visible()
    expect(page.get_by_role("region", name="Members").get_by_text("Marie Member")).to_have_count(1)
