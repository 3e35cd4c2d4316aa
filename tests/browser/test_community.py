"""The community pages in a real browser: axe-core's WCAG 2.1 A/AA rules find no
violation on the groups list, a group, the coordinators' page and the forms, in English
and French; a member joins, asks to join, and a coordinator approves, by clicking. In
the discussions: a member joins a group and starts a thread, another member replies, the
coordinator locks the thread and the reply form is gone; axe finds no violation on a
group with threads, a thread with nested replies (as a visitor, a member and its
coordinator) and the new-thread form, in English and French."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from cobioe_cms.community.models import WorkingGroupIndexPage
from cobioe_cms.core.models import PortalHomePage
from tests.factories import (
    GroupMembershipFactory,
    MemberFactory,
    ThreadFactory,
    WorkingGroupPageFactory,
    make_reply,
)

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
    # Accounts of some weeks: their posts show at once (a new account's wait for a moderator).
    joined = timezone.now() - datetime.timedelta(days=30)
    coordinator = MemberFactory(
        username="cora", email="cora@lyonbio.eu", full_name="Cora Coord", date_joined=joined
    )
    member = MemberFactory(
        username="marie", email="marie@lyonbio.eu", full_name="Marie Member", date_joined=joined
    )
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


# -- discussions -------------------------------------------------------------------------


@pytest.fixture
def discussion(community):
    """In the open group: Marie and Paul are members; a pinned thread by Cora with
    nested replies (Paul answers Cora, Marie answers Paul, quoting him), a held reply of
    a newcomer (Cora sees it), and a second thread, locked."""
    group = community["groups"]["open"]
    joined = timezone.now() - datetime.timedelta(days=30)
    paul = MemberFactory(
        username="paul", email="paul@porto-cells.pt", full_name="Paul Porto", date_joined=joined
    )
    newcomer = MemberFactory(username="nina", email="nina@example.org", full_name="Nina New")
    for user in (community["member"], paul, newcomer):
        GroupMembershipFactory(group=group, user=user)
    thread = ThreadFactory(
        group=group,
        author=community["coordinator"],
        author_name="Cora Coord",
        title="LNP mixing at 10 L",
        body="Who has compared **T-junction** and impingement jet mixers at 10 L?",
        is_pinned=True,
    )
    first = make_reply(thread, community["coordinator"], "We use impingement jets.")
    second = make_reply(thread, paul, "Size drifts above 200 mL/min.", parent=first)
    make_reply(
        thread,
        community["member"],
        "> **Paul Porto**:\n> Size drifts above 200 mL/min.\n\nSame here.",
        parent=second,
    )
    make_reply(thread, newcomer, "Hello, new here.", public=False)
    ThreadFactory(group=group, author=paul, author_name="Paul Porto", is_locked=True)
    community.update(paul=paul, thread=thread, group=group)
    return community


@LANGUAGES
def test_group_page_with_threads_passes_axe(page, discussion, prefix):
    open_in(page, prefix, discussion["group"].url)
    assert page.get_by_role("heading", name="LNP mixing at 10 L").count() == 1
    assert_no_violations(page)


@LANGUAGES
@pytest.mark.parametrize("viewer", ["visitor", "member", "coordinator"])
def test_thread_page_passes_axe(page, live_server, discussion, prefix, viewer):
    if viewer != "visitor":
        share_session(page, live_server, _client(discussion[viewer]))
    open_in(page, prefix, discussion["thread"].get_absolute_url())
    assert page.locator(".reply--level-2").count() == 1, "the nested replies are shown"
    if viewer == "coordinator":
        assert page.locator(".reply--held").count() == 1, "the moderator sees the held reply"
    if viewer != "visitor":
        assert page.locator("#reply-form textarea").count() == 1
    assert_no_violations(page)


@LANGUAGES
def test_new_thread_form_passes_axe(page, live_server, discussion, member_client, prefix):
    share_session(page, live_server, member_client)
    open_in(page, prefix, f"/community/groups/{discussion['group'].pk}/threads/new/")
    assert page.locator("main form textarea").count() == 1
    assert_no_violations(page)


@LANGUAGES
def test_moderation_page_passes_axe(page, live_server, discussion, coordinator_client, prefix):
    share_session(page, live_server, coordinator_client)
    open_in(page, prefix, f"/community/groups/{discussion['group'].pk}/moderation/")
    assert page.get_by_text("Hello, new here.").count() == 1
    assert_no_violations(page)


def _signed_in_page(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url)
    other = context.new_page()
    other.set_default_timeout(10_000)
    share_session(other, live_server, _client(user))
    return context, other


def test_start_a_thread_reply_and_lock(browser, page, live_server, discussion, member_client):
    """Marie joins the approval-free group by clicking, starts a thread; Paul replies
    from his own browser; Cora locks the thread; Marie can no longer reply."""
    from playwright.sync_api import expect

    group = WorkingGroupPageFactory(
        parent=discussion["index"], title="Fill and finish", membership_policy="open"
    )
    GroupMembershipFactory(group=group, user=discussion["coordinator"], role="coordinator")
    GroupMembershipFactory(group=group, user=discussion["paul"])

    # Marie joins and starts a thread.
    share_session(page, live_server, member_client)
    open_page(page, group.url)
    page.get_by_role("button", name="Join this group").click()
    expect(page.get_by_text("You are a member of this group.")).to_be_visible()
    page.get_by_role("link", name="Start a thread").click()
    page.get_by_label("Title").fill("Vial washers: who services them?")
    page.get_by_label("Message").fill("Our washer needs a **new pump**; who do you call?")
    page.get_by_role("button", name="Publish the thread").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vial washers: who services them?")
    expect(page.locator(".post-body strong")).to_have_text("new pump")
    thread_url = page.url

    # Paul replies, in his own browser.
    context, paul = _signed_in_page(browser, live_server, discussion["paul"])
    try:
        paul.goto(thread_url)
        paul.get_by_label("Your reply").fill("Our supplier in Porto does; I will send the name.")
        paul.get_by_role("button", name="Post my reply").click()
        expect(paul.get_by_role("heading", name="1 reply")).to_be_visible()
    finally:
        context.close()

    page.reload()
    expect(page.get_by_role("article", name="Reply by Paul Porto")).to_contain_text(
        "Our supplier in Porto does"
    )
    expect(page.get_by_label("Your reply")).to_have_count(1)

    # Cora locks it.
    context, cora = _signed_in_page(browser, live_server, discussion["coordinator"])
    try:
        cora.goto(thread_url)
        cora.get_by_role("group", name="Moderation").get_by_role("button", name="Lock").click()
        expect(cora.locator(".thread__meta .badge").filter(has_text="locked")).to_have_count(1)
    finally:
        context.close()

    page.reload()
    expect(page.get_by_text("This thread is locked: no new replies.")).to_be_visible()
    expect(page.get_by_label("Your reply")).to_have_count(0)
    expect(page.get_by_role("button", name="Post my reply")).to_have_count(0)
    assert_no_violations(page)
