"""Editors moderate the discussions in the Wagtail admin: a listing of replies and
threads with filters (held, reported, removed, by group), actions that follow the rules
of the discussions, pages, an empty state; nobody else gets in."""

import pytest
from django.urls import reverse
from django_comments.models import CommentFlag

from cobioe_cms.community.models import Reply, Thread
from tests.factories import ThreadFactory, make_reply

from .discussions_support import member_of

pytestmark = pytest.mark.django_db

LIST = "community_discussions_admin:list"


def _list(client, **params):
    response = client.get(reverse(LIST), params)
    assert response.status_code == 200
    return response


def _act(client, kind, pk, action, follow=False, **data):
    address = reverse(f"community_discussions_admin:{kind}", args=[pk, action])
    return client.post(address, data, follow=follow)


@pytest.fixture
def discussions(open_group, approval_group, coordinator):
    """A published, a held, a reported and a removed reply; a held and a removed thread."""
    poster = member_of(open_group, "paula")
    other = member_of(approval_group, "oscar")
    thread = ThreadFactory(group=open_group, author=poster, title="Fill and finish")
    elsewhere = ThreadFactory(group=approval_group, author=other, title="QC release")
    replies = {
        "published": make_reply(thread, poster, "Plain answer"),
        "held": make_reply(thread, poster, "Waiting words", public=False),
        "reported": make_reply(thread, poster, "Dubious claim"),
        "removed": make_reply(thread, poster, "Rude words"),
        "elsewhere": make_reply(elsewhere, other, "Other group words"),
    }
    CommentFlag.objects.create(
        comment=replies["reported"], user=coordinator, flag=CommentFlag.SUGGEST_REMOVAL
    )
    CommentFlag.objects.create(
        comment=replies["reported"], user=other, flag=CommentFlag.SUGGEST_REMOVAL
    )
    Reply.objects.filter(pk=replies["removed"].pk).update(removed_at="2026-11-01T10:00Z")
    threads = {
        "thread": thread,
        "elsewhere": elsewhere,
        "held": ThreadFactory(group=open_group, author=poster, title="Held topic", status="held"),
        "removed": ThreadFactory(
            group=open_group, author=poster, title="Removed topic", status="removed"
        ),
    }
    return replies, threads


def test_the_listing_shows_replies_with_their_states(editor_client, discussions):
    content = _list(editor_client).content
    for text in (b"Plain answer", b"Waiting words", b"Dubious claim", b"Rude words"):
        assert text in content
    assert b"Other group words" in content and b"Fill and finish" in content


@pytest.mark.parametrize(
    ("state", "shown"),
    [
        ("held", {"Waiting words"}),
        ("reported", {"Dubious claim"}),
        ("removed", {"Rude words"}),
    ],
)
def test_reply_filters(editor_client, discussions, state, shown):
    content = _list(editor_client, state=state).content.decode()
    texts = {"Plain answer", "Waiting words", "Dubious claim", "Rude words", "Other group words"}
    assert {t for t in texts if t in content} == shown


def test_the_reported_filter_shows_the_count(editor_client, discussions):
    response = _list(editor_client, state="reported")
    assert [r.report_count for r in response.context["page_obj"]] == [2]


def test_filter_by_group(editor_client, discussions, approval_group):
    content = _list(editor_client, group=approval_group.pk).content
    assert b"Other group words" in content and b"Plain answer" not in content
    content = _list(editor_client, kind="threads", group=approval_group.pk).content
    assert b"QC release" in content and b"Held topic" not in content


def test_thread_filters(editor_client, discussions):
    content = _list(editor_client, kind="threads").content
    for title in (b"Fill and finish", b"QC release", b"Held topic", b"Removed topic"):
        assert title in content
    content = _list(editor_client, kind="threads", state="held").content
    assert b"Held topic" in content and b"Removed topic" not in content
    content = _list(editor_client, kind="threads", state="removed").content
    assert b"Removed topic" in content and b"Held topic" not in content


@pytest.mark.parametrize(
    "params",
    [
        {"state": "nonsense"},
        {"group": "abc"},
        {"group": "999999"},
        {"kind": "users"},
        {"p": "-1"},
        {"p": "zzz"},
        {"kind": "threads", "state": "reported"},
    ],
)
def test_odd_filters_fall_back_to_all(editor_client, discussions, params):
    response = _list(editor_client, **params)
    assert response.context["page_obj"].object_list


def test_empty_state(editor_client, open_group):
    content = _list(editor_client).content
    assert b"No discussion here yet." in content
    content = _list(editor_client, state="held").content
    assert b"Nothing in this state: no moderation waits here." in content


def test_pages(editor_client, open_group, coordinator):
    thread = ThreadFactory(group=open_group, author=coordinator)
    for i in range(55):
        make_reply(thread, coordinator, f"Reply number {i:02d}.")
    first = _list(editor_client)
    assert len(first.context["page_obj"]) == 50
    assert b"Reply number 54." in first.content and b"Reply number 00." not in first.content
    second = _list(editor_client, p=2)
    assert b"Reply number 00." in second.content and len(second.context["page_obj"]) == 5


def test_approve_remove_restore_dismiss_a_reply(editor_client, editor, discussions):
    replies, threads = discussions
    back = reverse(LIST) + "?state=held"
    response = _act(editor_client, "reply", replies["held"].pk, "approve", next=back)
    assert response.status_code == 302 and response["Location"] == back
    held = Reply.objects.get(pk=replies["held"].pk)
    assert held.is_public
    _act(editor_client, "reply", replies["published"].pk, "remove")
    removed = Reply.objects.get(pk=replies["published"].pk)
    assert removed.removed_at and removed.removed_by == editor
    _act(editor_client, "reply", replies["removed"].pk, "restore")
    assert Reply.objects.get(pk=replies["removed"].pk).removed_at is None
    _act(editor_client, "reply", replies["reported"].pk, "dismiss")
    assert not CommentFlag.objects.filter(flag=CommentFlag.SUGGEST_REMOVAL).exists()
    threads["thread"].refresh_from_db()
    # published now: held (approved), reported (kept), removed (restored); not "Plain answer"
    assert threads["thread"].reply_count == 3
    response = _act(editor_client, "reply", replies["held"].pk, "approve", follow=True)
    assert b"This reply is already published." in response.content


def test_approve_remove_restore_a_thread(editor_client, discussions):
    _replies, threads = discussions
    _act(editor_client, "thread", threads["held"].pk, "approve")
    _act(editor_client, "thread", threads["thread"].pk, "remove")
    _act(editor_client, "thread", threads["removed"].pk, "restore")
    statuses = dict(Thread.objects.values_list("title", "status"))
    assert statuses["Held topic"] == "published"
    assert statuses["Fill and finish"] == "removed"
    assert statuses["Removed topic"] == "published"


def test_an_external_next_is_not_followed(editor_client, discussions):
    replies, _threads = discussions
    response = _act(
        editor_client, "reply", replies["held"].pk, "approve", next="https://evil.example/"
    )
    assert response["Location"] == reverse(LIST)


def test_unknown_actions_and_ids(editor_client, discussions):
    replies, threads = discussions
    assert _act(editor_client, "reply", replies["held"].pk, "explode").status_code == 404
    assert _act(editor_client, "thread", threads["held"].pk, "pin").status_code == 404
    assert _act(editor_client, "reply", 999999, "approve").status_code == 404
    assert _act(editor_client, "thread", 999999, "approve").status_code == 404
    assert _act(editor_client, "thread", 10**20, "approve").status_code == 404
    assert _act(editor_client, "reply", 10**20, "approve").status_code == 404
    url = reverse("community_discussions_admin:reply", args=[replies["held"].pk, "approve"])
    assert editor_client.get(url).status_code == 405
    assert not Reply.objects.get(pk=replies["held"].pk).is_public


@pytest.mark.parametrize("who", ["anonymous", "member", "coordinator"])
def test_only_editors_get_in(client, discussions, coordinator, who):
    replies, threads = discussions
    if who == "member":
        client.force_login(member_of(threads["thread"].group, "plain"))
    elif who == "coordinator":
        client.force_login(coordinator)
    response = client.get(reverse(LIST))
    assert response.status_code in (302, 403)
    assert b"Waiting words" not in response.content
    for kind, pk, action in (
        ("reply", replies["held"].pk, "approve"),
        ("reply", replies["published"].pk, "remove"),
        ("thread", threads["held"].pk, "approve"),
    ):
        assert _act(client, kind, pk, action).status_code in (302, 403)
    assert not Reply.objects.get(pk=replies["held"].pk).is_public
    assert Reply.objects.get(pk=replies["published"].pk).removed_at is None
    assert Thread.objects.get(pk=threads["held"].pk).status == "held"


def test_an_admin_user_without_group_rights_is_refused(client, discussions):
    from django.contrib.auth.models import Permission

    from tests.factories import MemberFactory

    user = MemberFactory(username="adminonly", email="adminonly@example.org")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(reverse(LIST))
    # Wagtail turns the PermissionDenied of an admin view into a redirect with a message
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"] == reverse("wagtailadmin_home")
    replies, _threads = discussions
    assert _act(client, "reply", replies["held"].pk, "approve").status_code in (302, 403)
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200 and reverse(LIST).encode() not in home.content
    assert not Reply.objects.get(pk=replies["held"].pk).is_public


def test_the_menu_shows_discussions_to_editors_only(client, editor_client, discussions):
    assert reverse(LIST).encode() in editor_client.get(reverse("wagtailadmin_home")).content


def test_the_listing_queries_do_not_grow_with_rows(editor_client, open_group, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    thread = ThreadFactory(group=open_group, author=coordinator)
    counts = []
    for total in (5, 45):
        while Reply.objects.count() < total:
            reply = make_reply(thread, coordinator, "Hello")
            CommentFlag.objects.create(comment=reply, user=coordinator, flag="removal suggestion")
        for kind in ("replies", "threads"):
            editor_client.get(reverse(LIST), {"kind": kind})
            with CaptureQueriesContext(connection) as context:
                _list(editor_client, kind=kind)
            counts.append(len(context.captured_queries))
        ThreadFactory.create_batch(20, group=open_group, author=coordinator)
    assert counts[:2] == counts[2:], counts
