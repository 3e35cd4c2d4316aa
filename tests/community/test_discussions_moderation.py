"""Moderation by the group's coordinators and editors: held first posts, removal and
restoration, reports, pin, lock, move, mute; other members get a 403."""

import pytest
from django_comments.models import CommentFlag

from cobioe_cms.community.models import GroupMembership, Reply, Thread
from tests.factories import GroupMembershipFactory, MemberFactory, ThreadFactory, make_reply

from .conftest import url
from .discussions_support import member_of, messages_of, post_reply, start_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(open_group):
    """An account of today: its first posts wait for a moderator."""
    user = MemberFactory(username="nina", email="nina@example.org")
    GroupMembershipFactory(group=open_group, user=user)
    return user


@pytest.mark.parametrize("moderator_name", ["coordinator", "editor"])
def test_first_posts_of_young_accounts_wait_for_a_moderator(
    client, request, open_group, thread, newcomer, moderator_name
):
    client.force_login(newcomer)
    response = start_thread(client, open_group, title="Hello all", body="I am new")
    held_thread = Thread.objects.get(title="Hello all")
    assert held_thread.status == "held"
    response = client.get(response["Location"])
    assert "new accounts' first posts are checked" in " ".join(messages_of(response))
    post_reply(client, thread, "First words")
    held = Reply.objects.get(comment="First words")
    assert not held.is_public
    assert b"First words" in client.get(thread.get_absolute_url()).content  # the author sees it

    reader = member_of(open_group, "rita")
    client.force_login(reader)
    assert b"First words" not in client.get(thread.get_absolute_url()).content
    assert client.get(held_thread.get_absolute_url()).status_code == 404
    assert b"Hello all" not in client.get(open_group.url).content
    assert client.post(url("moderate_reply", held.pk, "approve")).status_code == 404

    moderator = request.getfixturevalue(moderator_name)
    client.force_login(moderator)
    queue = client.get(url("moderation", open_group.pk))
    assert b"Hello all" in queue.content and b"First words" in queue.content
    assert client.post(url("moderate_reply", held.pk, "approve")).status_code == 302
    assert (
        client.post(url("moderate_thread", open_group.pk, held_thread.pk, "approve")).status_code
        == 302
    )
    held.refresh_from_db()
    held_thread.refresh_from_db()
    thread.refresh_from_db()
    assert held.is_public and held_thread.is_visible and thread.reply_count == 1

    client.force_login(newcomer)
    post_reply(client, thread, "Second words")
    assert Reply.objects.get(comment="Second words").is_public
    client.force_login(reader)
    assert b"First words" in client.get(thread.get_absolute_url()).content


def test_remove_and_restore_a_reply(client, thread, poster, coordinator):
    reply = make_reply(thread, poster, "Rude words")
    child = make_reply(thread, coordinator, "Calm answer", parent=reply)
    client.force_login(coordinator)
    response = client.post(url("moderate_reply", reply.pk, "remove"), follow=True)
    assert "The reply is removed." in messages_of(response)
    reply.refresh_from_db()
    assert reply.removed_at and reply.removed_by == coordinator
    thread.refresh_from_db()
    assert thread.reply_count == 1
    page = client.get(thread.get_absolute_url())
    assert b"This reply was removed by a moderator." in page.content
    assert b"Rude words" in page.content  # the moderator still reads it
    client.force_login(poster)
    page = client.get(thread.get_absolute_url())
    assert b"This reply was removed by a moderator." in page.content
    assert b"Rude words" not in page.content and b"Calm answer" in page.content
    assert child.pk
    client.force_login(coordinator)
    response = client.post(url("moderate_reply", reply.pk, "remove"), follow=True)
    assert "This reply was already removed." in messages_of(response)
    client.post(url("moderate_reply", reply.pk, "restore"))
    reply.refresh_from_db()
    thread.refresh_from_db()
    assert reply.removed_at is None and thread.reply_count == 2
    client.force_login(poster)
    assert b"Rude words" in client.get(thread.get_absolute_url()).content


def test_reports_are_counted_for_moderators_and_dismissed(
    client, open_group, thread, poster, coordinator
):
    reply = make_reply(thread, poster, "Dubious claim")
    reporters = [member_of(open_group, f"reporter{i}") for i in range(2)]
    for reporter in reporters:
        client.force_login(reporter)
        response = client.post(url("flag_reply", reply.pk), follow=True)
        assert "Thank you: the moderators will look at this reply." in messages_of(response)
        page = client.get(thread.get_absolute_url())
        assert b"report" not in page.content.split(b"Dubious claim")[0].split(b'id="r')[-1]
    response = client.post(url("flag_reply", reply.pk), follow=True)
    assert "You had already reported this reply." in messages_of(response)
    assert CommentFlag.objects.filter(flag=CommentFlag.SUGGEST_REMOVAL).count() == 2
    client.force_login(poster)
    response = client.post(url("flag_reply", reply.pk), follow=True)
    assert "You cannot report your own reply." in messages_of(response)
    page = client.get(thread.get_absolute_url())
    assert b"2 reports" not in page.content
    assert url("flag_reply", reply.pk).encode() not in page.content

    client.force_login(coordinator)
    page = client.get(thread.get_absolute_url())
    assert b"2 reports" in page.content
    queue = client.get(url("moderation", open_group.pk))
    assert b"Dubious claim" in queue.content and b"2 reports" in queue.content
    client.post(url("moderate_reply", reply.pk, "dismiss"))
    assert not CommentFlag.objects.filter(flag=CommentFlag.SUGGEST_REMOVAL).exists()
    assert b"Dubious claim" not in client.get(url("moderation", open_group.pk)).content
    reply.refresh_from_db()
    assert reply.is_public and reply.removed_at is None


def test_pinned_threads_come_first(client, open_group, coordinator, poster):
    old = ThreadFactory(group=open_group, author=poster, title="Old rules")
    ThreadFactory(group=open_group, author=poster, title="Fresh news")
    client.force_login(coordinator)
    before = client.get(open_group.url).content
    assert before.index(b"Fresh news") < before.index(b"Old rules")
    client.post(url("moderate_thread", open_group.pk, old.pk, "pin"))
    after = client.get(open_group.url).content
    assert after.index(b"Old rules") < after.index(b"Fresh news")
    client.post(url("moderate_thread", open_group.pk, old.pk, "unpin"))
    old.refresh_from_db()
    assert not old.is_pinned


def test_a_locked_thread_takes_replies_from_moderators_only(client, thread, poster, coordinator):
    client.force_login(coordinator)
    client.post(url("moderate_thread", thread.group_id, thread.pk, "lock"))
    thread.refresh_from_db()
    assert thread.is_locked
    client.force_login(poster)
    response = post_reply(client, thread, "Me too")
    assert response.status_code == 400
    assert "This thread is locked: no new replies." in messages_of(response)
    assert b"Post my reply" not in client.get(thread.get_absolute_url()).content
    client.force_login(coordinator)
    assert post_reply(client, thread, "Closing words").status_code == 302
    assert list(Reply.objects.values_list("comment", flat=True)) == ["Closing words"]
    client.post(url("moderate_thread", thread.group_id, thread.pk, "unlock"))
    client.force_login(poster)
    assert post_reply(client, thread, "Me too").status_code == 302


def test_move_to_a_group_one_coordinates_only(
    client, groups_index, open_group, approval_group, thread, coordinator
):
    from tests.factories import WorkingGroupPageFactory

    foreign = WorkingGroupPageFactory(parent=groups_index, title="Foreign group")
    reply = make_reply(thread, coordinator, "Follows the thread")
    client.force_login(coordinator)
    page = client.get(thread.get_absolute_url())
    choices = list(page.context["move_form"].fields["group"].queryset)
    assert choices == [approval_group]
    response = client.post(url("move_thread", open_group.pk, thread.pk), {"group": foreign.pk})
    thread.refresh_from_db()
    assert thread.group == open_group
    response = client.post(
        url("move_thread", open_group.pk, thread.pk), {"group": approval_group.pk}
    )
    thread.refresh_from_db()
    assert thread.group == approval_group
    assert response["Location"] == url("thread", approval_group.pk, thread.pk)
    assert client.get(url("reply", reply.pk))["Location"].startswith(
        url("thread", approval_group.pk, thread.pk)
    )
    assert client.get(url("thread", open_group.pk, thread.pk)).status_code == 404


def test_an_editor_moves_anywhere(client, groups_index, open_group, thread, editor):
    from tests.factories import WorkingGroupPageFactory

    foreign = WorkingGroupPageFactory(parent=groups_index, title="Foreign group")
    client.force_login(editor)
    client.post(url("move_thread", open_group.pk, thread.pk), {"group": foreign.pk})
    thread.refresh_from_db()
    assert thread.group == foreign


def test_mute_and_unmute(client, open_group, thread, poster, coordinator):
    membership = GroupMembership.objects.get(user=poster)
    client.force_login(coordinator)
    assert client.post(url("mute", open_group.pk, membership.pk)).status_code == 302
    membership.refresh_from_db()
    assert membership.is_muted and membership.muted_by == coordinator
    client.force_login(poster)
    response = post_reply(client, thread, "Can I?")
    assert response.status_code == 400
    assert "A coordinator of this group muted you: you can read but not post." in messages_of(
        response
    )
    assert start_thread(client, open_group).status_code == 400
    assert not Reply.objects.exists() and Thread.objects.count() == 1
    group_page = client.get(open_group.url)
    assert b"A coordinator of this group muted you" in group_page.content
    assert url("new_thread", open_group.pk).encode() not in group_page.content
    client.force_login(coordinator)
    client.post(url("unmute", open_group.pk, membership.pk))
    client.force_login(poster)
    assert post_reply(client, thread, "Can I?").status_code == 302


def test_a_coordinator_cannot_be_muted(client, open_group, coordinator, editor):
    second = member_of(open_group, "coco", role="coordinator")
    membership = GroupMembership.objects.get(user=second)
    for who in (coordinator, editor):
        client.force_login(who)
        response = client.post(url("mute", open_group.pk, membership.pk), follow=True)
        assert "A coordinator cannot be muted; remove their role first." in messages_of(response)
    membership.refresh_from_db()
    assert not membership.is_muted


def test_other_members_get_403_on_moderation(client, open_group, thread, poster, coordinator):
    reply = make_reply(thread, coordinator, "Hello")
    coordinator_membership = GroupMembership.objects.get(user=coordinator)
    client.force_login(poster)
    g, t = open_group.pk, thread.pk
    for action in ("pin", "unpin", "lock", "unlock", "approve", "remove"):
        assert client.post(url("moderate_thread", g, t, action)).status_code == 403
    for action in ("approve", "remove", "restore", "dismiss"):
        assert client.post(url("moderate_reply", reply.pk, action)).status_code == 403
    assert client.post(url("move_thread", g, t), {"group": g}).status_code == 403
    assert client.post(url("mute", g, coordinator_membership.pk)).status_code == 403
    assert client.get(url("moderation", g)).status_code == 403
    thread.refresh_from_db()
    reply.refresh_from_db()
    assert thread.is_visible and not thread.is_pinned and not thread.is_locked
    assert reply.removed_at is None


def test_a_coordinator_of_another_group_cannot_moderate_this_one(
    client, groups_index, open_group, thread
):
    from tests.factories import WorkingGroupPageFactory

    other = WorkingGroupPageFactory(parent=groups_index, title="Other")
    boss = member_of(other, "boss", role="coordinator")
    client.force_login(boss)
    assert client.post(url("moderate_thread", open_group.pk, thread.pk, "lock")).status_code == 403
    assert client.get(url("moderation", open_group.pk)).status_code == 403


def test_remove_and_restore_a_thread(client, open_group, thread, poster, coordinator):
    client.force_login(coordinator)
    client.post(url("moderate_thread", open_group.pk, thread.pk, "remove"))
    thread.refresh_from_db()
    assert thread.status == "removed"
    client.force_login(poster)
    assert client.get(thread.get_absolute_url()).status_code == 404
    assert post_reply(client, thread).status_code == 404
    client.force_login(coordinator)
    client.post(url("moderate_thread", open_group.pk, thread.pk, "approve"))
    thread.refresh_from_db()
    assert thread.is_visible


def test_a_gone_reply_cannot_be_reported_nor_restored_twice(client, open_group, thread, poster):
    reply = make_reply(thread, poster, "Soon gone")
    reporter = member_of(open_group, "rex")
    client.force_login(poster)
    client.post(url("delete_reply", reply.pk))
    client.force_login(reporter)
    response = client.post(url("flag_reply", reply.pk), follow=True)
    assert "This reply is not shown; there is nothing to report." in messages_of(response)
    assert not CommentFlag.objects.exists()
    kept = make_reply(thread, poster, "Kept")
    client.force_login(thread.author)
    response = client.post(url("moderate_reply", kept.pk, "restore"), follow=True)
    assert "This reply is not removed." in messages_of(response)


def test_moderators_read_the_outcome_in_their_language(client, thread, coordinator):
    """The outcome messages are looked up when the moderator acts, not when the module
    was imported (then always in English)."""
    client.force_login(coordinator)
    response = client.post(
        "/fr" + url("moderate_thread", thread.group_id, thread.pk, "pin"), follow=True
    )
    assert "La discussion est épinglée." in response.content.decode()
