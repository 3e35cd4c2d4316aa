"""Who posts and who reads: members of every policy post; non-members, pending, declined
and removed members are refused with a message and nothing is stored; outsiders read
public groups' threads and get a 404 for everything of a members-only group."""

import pytest

from cobioe_cms.community.models import GroupMembership, Reply, Thread
from tests.factories import GroupMembershipFactory, MemberFactory, ThreadFactory, make_reply

from .conftest import url
from .discussions_support import member_of, messages_of, post_reply, seasoned, start_thread

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("group_name", ["open_group", "approval_group", "invitation_group"])
def test_active_members_of_every_policy_post(client, request, group_name):
    group = request.getfixturevalue(group_name)
    author = member_of(group, "poster")
    client.force_login(author)
    response = start_thread(client, group, title="Batch records", body="How do you keep them?")
    thread = Thread.objects.get(group=group)
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert thread.is_visible and thread.author == author
    response = post_reply(client, thread, "We scan them.")
    assert response.status_code == 302
    reply = Reply.objects.get()
    assert reply.is_public and reply.comment == "We scan them."
    page = client.get(thread.get_absolute_url())
    assert b"We scan them." in page.content


@pytest.mark.parametrize("status", [None, "pending", "declined", "removed"])
def test_non_members_cannot_post(client, open_group, coordinator, status):
    thread = ThreadFactory(group=open_group, author=seasoned(coordinator))
    user = seasoned(MemberFactory(username="nadia", email="nadia@example.org"))
    if status:
        GroupMembershipFactory(group=open_group, user=user, status=status)
    client.force_login(user)

    response = start_thread(client, open_group, title="Spam", body="Buy now")
    assert response.status_code == 400
    assert b"Join the group to take part in its discussions." in response.content
    assert b"Publish the thread" not in response.content
    response = post_reply(client, thread, "Let me in")
    assert response.status_code == 400
    assert "Join the group to take part in its discussions." in messages_of(response)
    assert Thread.objects.count() == 1 and Reply.objects.count() == 0
    page = client.get(thread.get_absolute_url())
    assert b"Join the group to take part in its discussions." in page.content
    assert b"Post my reply" not in page.content


def test_anonymous_visitors_are_sent_to_sign_in(client, open_group, coordinator):
    thread = ThreadFactory(group=open_group, author=coordinator)
    response = post_reply(client, thread, "Hello")
    assert response.status_code == 302 and "login" in response["Location"]
    assert Reply.objects.count() == 0
    page = client.get(thread.get_absolute_url())
    assert page.status_code == 200
    assert b"Sign in and join the group" in page.content


def test_outsiders_read_the_threads_of_a_public_group(client, open_group, coordinator, outsider):
    thread = ThreadFactory(group=open_group, author=coordinator, body="Public words")
    reply = make_reply(thread, coordinator, "Public answer")
    for who in (None, outsider):
        if who:
            client.force_login(who)
        page = client.get(thread.get_absolute_url())
        assert page.status_code == 200
        assert b"Public words" in page.content and b"Public answer" in page.content
        assert client.get(url("reply", reply.pk)).status_code == 302


@pytest.mark.parametrize("who", ["anonymous", "outsider", "pending", "removed", "other_group"])
def test_everything_of_a_members_only_group_is_404_for_others(
    client, groups_index, invitation_group, coordinator, who
):
    thread = ThreadFactory(group=invitation_group, author=coordinator, body="Secret plan")
    reply = make_reply(thread, coordinator, "Secret answer")
    if who != "anonymous":
        user = seasoned(MemberFactory(username="eve", email="eve@example.org"))
        if who in ("pending", "removed"):
            GroupMembershipFactory(group=invitation_group, user=user, status=who)
        elif who == "other_group":
            from tests.factories import WorkingGroupPageFactory

            other = WorkingGroupPageFactory(parent=groups_index, title="Elsewhere")
            GroupMembershipFactory(group=other, user=user, role="coordinator")
        client.force_login(user)
    g, t, r = invitation_group.pk, thread.pk, reply.pk
    gets = [url("thread", g, t), url("reply", r), url("edit_thread", g, t), url("edit_reply", r)]
    posts = [
        url("flag_reply", r),
        url("delete_reply", r),
        url("moderate_reply", r, "remove"),
        url("moderate_thread", g, t, "lock"),
        url("move_thread", g, t),
        url("follow_thread", g, t),
        url("post_reply", g, t),
    ]
    expected = 302 if who == "anonymous" else 404  # anonymous visitors go to sign in first
    for address in gets[:2]:
        response = client.get(address)
        assert response.status_code == 404, address
        assert b"Secret" not in response.content
    for address in gets[2:]:
        assert client.get(address).status_code == expected, address
    for address in posts:
        response = client.post(address, {"comment": "x", "group": g})
        assert response.status_code == expected, address
    moderation = client.get(url("moderation", g))
    assert moderation.status_code == expected
    assert b"Secret" not in moderation.content
    assert Reply.objects.count() == 1
    thread.refresh_from_db()
    assert not thread.is_locked
    assert b"Secret" not in client.get(invitation_group.url).content


def test_a_member_of_a_members_only_group_reads_and_posts(client, invitation_group, coordinator):
    thread = ThreadFactory(group=invitation_group, author=coordinator, body="Secret plan")
    insider = member_of(invitation_group, "insa")
    client.force_login(insider)
    assert b"Secret plan" in client.get(thread.get_absolute_url()).content
    assert post_reply(client, thread, "Count me in").status_code == 302
    assert Reply.objects.get().user == insider


def test_an_editor_reads_a_members_only_group(client, invitation_group, coordinator, editor):
    thread = ThreadFactory(group=invitation_group, author=coordinator, body="Secret plan")
    client.force_login(editor)
    assert client.get(thread.get_absolute_url()).status_code == 200


def test_a_thread_of_another_group_is_404_under_this_group(
    client, open_group, approval_group, coordinator
):
    thread = ThreadFactory(group=approval_group, author=coordinator)
    client.force_login(coordinator)
    assert client.get(url("thread", open_group.pk, thread.pk)).status_code == 404
    assert client.get(url("thread", open_group.pk, 999999)).status_code == 404


def test_a_membership_status_change_takes_effect(client, open_group, coordinator):
    thread = ThreadFactory(group=open_group, author=coordinator)
    author = member_of(open_group, "leaver")
    client.force_login(author)
    assert post_reply(client, thread, "First").status_code == 302
    GroupMembership.objects.filter(user=author).update(status="removed")
    assert post_reply(client, thread, "Second").status_code == 400
    assert list(Reply.objects.values_list("comment", flat=True)) == ["First"]
