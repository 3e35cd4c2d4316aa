"""Threads and replies: threading four levels deep (0-3), quoting, the edit window and
its author, deletion by the author that keeps the tree."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from cobioe_cms.community.models import Reply, Thread
from tests.factories import ThreadFactory, make_reply

from .conftest import url
from .discussions_support import member_of, messages_of, post_reply, seasoned

pytestmark = pytest.mark.django_db


def test_replies_nest_four_levels_deep_and_no_deeper(client, thread, poster):
    client.force_login(poster)
    parent_id = 0
    for level in range(4):
        response = post_reply(client, thread, f"Level {level}", reply_to=parent_id)
        assert response.status_code == 302, level
        reply = Reply.objects.get(comment=f"Level {level}")
        assert reply.level == level
        parent_id = reply.pk
    response = post_reply(client, thread, "Level 4", reply_to=parent_id)
    assert response.status_code == 400
    assert "Replies nest 4 levels deep at most; answer higher up." in messages_of(response)
    assert b"Level 4" in response.content  # the text is kept in the form
    assert not Reply.objects.filter(comment="Level 4").exists()
    page = client.get(thread.get_absolute_url())
    deepest = Reply.objects.get(comment="Level 3")
    assert f'href="?reply_to={deepest.pk}'.encode() not in page.content
    level2 = Reply.objects.get(comment="Level 2")
    assert f'href="?reply_to={level2.pk}'.encode() in page.content
    assert b"reply--level-3" in page.content


def test_quote_prefills_the_form_with_the_quoted_reply(client, thread, poster, coordinator):
    original = make_reply(thread, coordinator, "Fill **slots** are\nrare")
    Reply.objects.filter(pk=original.pk).update(user_name="Cora")
    client.force_login(poster)
    page = client.get(thread.get_absolute_url(), {"reply_to": original.pk, "quote": 1})
    form = page.context["form"]
    assert form.initial["reply_to"] == original.pk
    assert form.initial["comment"] == "> **Cora**:\n> Fill **slots** are\n> rare\n\n"
    assert b"Replying to Cora" in page.content
    page = client.get(thread.get_absolute_url(), {"reply_to": original.pk})
    assert page.context["form"].initial["reply_to"] == original.pk
    assert "comment" not in page.context["form"].initial
    page = client.get(thread.get_absolute_url(), {"reply_to": "abc", "quote": 1})
    assert page.status_code == 200 and "comment" not in page.context["form"].initial


def test_replying_to_a_reply_of_another_thread_is_refused(client, open_group, thread, poster):
    other = ThreadFactory(group=open_group, author=poster)
    foreign = make_reply(other, poster, "Elsewhere")
    client.force_login(poster)
    response = post_reply(client, thread, "Crossing threads", reply_to=foreign.pk)
    assert response.status_code == 400
    assert "The reply you answer is no longer there." in messages_of(response)
    assert not Reply.objects.filter(comment="Crossing threads").exists()
    page = client.get(thread.get_absolute_url(), {"reply_to": foreign.pk, "quote": 1})
    assert "reply_to" not in page.context["form"].initial


@override_settings(COBIOE_COMMUNITY_EDIT_WINDOW_MINUTES=10)
def test_the_author_edits_a_reply_within_the_window(client, thread, poster):
    reply = make_reply(thread, poster, "Frist")
    client.force_login(poster)
    assert client.get(url("edit_reply", reply.pk)).status_code == 200
    response = client.post(url("edit_reply", reply.pk), {"comment": "First"})
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.comment == "First" and reply.edited_at is not None
    page = client.get(thread.get_absolute_url())
    assert b"First" in page.content and b"edited" in page.content

    Reply.objects.filter(pk=reply.pk).update(
        submit_date=timezone.now() - datetime.timedelta(minutes=11)
    )
    response = client.post(url("edit_reply", reply.pk), {"comment": "Too late"}, follow=True)
    assert "You can no longer edit this reply." in messages_of(response)
    reply.refresh_from_db()
    assert reply.comment == "First"


@override_settings(COBIOE_COMMUNITY_EDIT_WINDOW_MINUTES=10)
def test_the_author_edits_a_thread_within_the_window(client, open_group, poster):
    thread = ThreadFactory(group=open_group, author=poster, title="Tpyo")
    client.force_login(poster)
    response = client.post(
        url("edit_thread", open_group.pk, thread.pk), {"title": "Typo", "body": "B"}
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert (thread.title, thread.body) == ("Typo", "B") and thread.edited_at
    Thread.objects.filter(pk=thread.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    response = client.post(
        url("edit_thread", open_group.pk, thread.pk), {"title": "Late", "body": "L"}, follow=True
    )
    assert "You can no longer edit this thread." in messages_of(response)
    thread.refresh_from_db()
    assert thread.title == "Typo"


def test_only_the_author_edits(client, open_group, poster, coordinator, editor):
    thread = ThreadFactory(group=open_group, author=poster, title="Mine")
    reply = make_reply(thread, poster, "Mine")
    for other in (coordinator, editor, member_of(open_group, "bob")):
        client.force_login(other)
        client.post(url("edit_reply", reply.pk), {"comment": "Hijacked"})
        client.post(url("edit_thread", open_group.pk, thread.pk), {"title": "Hi", "body": "jack"})
        page = client.get(thread.get_absolute_url())
        assert url("edit_reply", reply.pk).encode() not in page.content
        assert url("edit_thread", open_group.pk, thread.pk).encode() not in page.content
    reply.refresh_from_db()
    thread.refresh_from_db()
    assert (reply.comment, thread.title) == ("Mine", "Mine")
    client.force_login(poster)
    page = client.get(thread.get_absolute_url())
    assert url("edit_reply", reply.pk).encode() in page.content


def test_an_edit_is_checked_like_a_post(client, thread, poster):
    reply = make_reply(thread, poster, "Short")
    client.force_login(poster)
    response = client.post(url("edit_reply", reply.pk), {"comment": "x" * 10001})
    assert response.status_code == 400
    response = client.post(
        url("edit_reply", reply.pk), {"comment": " ".join(["https://a.example"] * 6)}
    )
    assert response.status_code == 400
    assert "A post may hold at most 5 links; remove some and post again." in messages_of(response)
    reply.refresh_from_db()
    assert reply.comment == "Short"


def test_deletion_by_the_author_keeps_the_answers(client, thread, poster, coordinator):
    parent = make_reply(thread, poster, "Regrettable words")
    child = make_reply(thread, coordinator, "An answer to it", parent=parent)
    client.force_login(poster)
    response = client.post(url("delete_reply", parent.pk))
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.comment == "" and parent.deleted_at is not None
    thread.refresh_from_db()
    assert thread.reply_count == 1
    for who in (poster, coordinator, None):
        if who:
            client.force_login(who)
        else:
            client.logout()
        page = client.get(thread.get_absolute_url())
        assert b"This reply was deleted by its author." in page.content
        assert b"Regrettable words" not in page.content
        assert b"An answer to it" in page.content
        assert str(child.pk).encode() in page.content
    client.force_login(poster)
    response = client.post(url("delete_reply", parent.pk), follow=True)
    assert "This reply was already deleted." in messages_of(response)
    assert post_reply(client, thread, "To the void", reply_to=parent.pk).status_code == 400


def test_only_the_author_deletes(client, thread, poster, coordinator):
    reply = make_reply(thread, poster, "Keep me")
    client.force_login(coordinator)
    response = client.post(url("delete_reply", reply.pk), follow=True)
    assert "Only its author can delete a reply." in messages_of(response)
    reply.refresh_from_db()
    assert reply.comment == "Keep me" and reply.deleted_at is None


def test_long_threads_are_paged_by_replies_and_permalinks_find_the_page(
    client, open_group, coordinator
):
    """50 replies a page in the tree's order, whatever its shape: 60 answers to one
    reply go on over two pages, and an answer on page 2 still names whom it answers."""
    thread = ThreadFactory(group=open_group, author=seasoned(coordinator))
    root = make_reply(thread, coordinator, "The first word.")
    answers = [make_reply(thread, coordinator, f"Answer {n}.", parent=root) for n in range(60)]
    last = Reply.objects.get(pk=answers[-1].pk)
    reader = member_of(open_group, "rita")
    client.force_login(reader)
    first = client.get(thread.get_absolute_url())
    assert len(first.context["replies"]) == 50
    assert first.context["paginator"].num_pages == 2
    response = client.get(url("reply", last.pk))
    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}?page=2#r{last.pk}"
    second = client.get(f"{thread.get_absolute_url()}?page=2")
    shown = {r.pk: r for r in second.context["replies"]}
    assert last.pk in shown and shown[last.pk].parent_name == coordinator.get_username()
    assert root.pk not in shown
