"""Spam and abuse: the honeypot, the rate limits (per member, in the shared cache), the
link limit, floods. A refused post shows the form again with what the member wrote."""

import pytest
from django.test import override_settings

from cobioe_cms.community.models import Reply, Thread
from tests.factories import ThreadFactory

from .discussions_support import member_of, messages_of, post_reply, seasoned, start_thread

pytestmark = pytest.mark.django_db

AUTOMATED = "This post looks automated; it was not sent."


@pytest.fixture
def thread(open_group, coordinator):
    return ThreadFactory(group=open_group, author=seasoned(coordinator))


@pytest.fixture
def poster(client, open_group):
    user = member_of(open_group, "paula")
    client.force_login(user)
    return user


def test_a_filled_honeypot_refuses_a_thread_and_keeps_the_text(client, open_group, poster):
    response = start_thread(
        client, open_group, title="Cheap pills", body="My careful words", website="http://x"
    )
    assert response.status_code == 400
    assert AUTOMATED.encode() in response.content
    assert b"My careful words" in response.content and b"Cheap pills" in response.content
    assert not Thread.objects.exists()


def test_a_filled_honeypot_refuses_a_reply_and_keeps_the_text(client, thread, poster):
    response = post_reply(client, thread, "My careful reply", honeypot="gotcha")
    assert response.status_code == 400
    assert AUTOMATED.encode() in response.content
    assert b"My careful reply" in response.content
    assert not Reply.objects.exists()


@override_settings(COBIOE_COMMUNITY_POSTS_PER_HOUR=3)
def test_posts_per_hour(client, thread, poster):
    for i in range(3):
        assert post_reply(client, thread, f"Post {i}").status_code == 302
    response = post_reply(client, thread, "One too many")
    assert response.status_code == 400
    assert "You have posted a lot in the last hour; wait a little and try again." in messages_of(
        response
    )
    assert b"One too many" in response.content
    assert Reply.objects.count() == 3


@override_settings(COBIOE_COMMUNITY_THREADS_PER_DAY=2)
def test_threads_per_day(client, open_group, poster):
    for i in range(2):
        assert start_thread(client, open_group, title=f"T{i}").status_code == 302
    response = start_thread(client, open_group, title="Third", body="Kept body")
    assert response.status_code == 400
    assert "You have started many threads today; try again tomorrow." in messages_of(response)
    assert b"Kept body" in response.content
    assert Thread.objects.count() == 2


@override_settings(COBIOE_COMMUNITY_POSTS_PER_HOUR=3)
def test_the_limit_is_per_member(client, open_group, thread, poster):
    for i in range(3):
        post_reply(client, thread, f"Post {i}")
    client.force_login(member_of(open_group, "other"))
    assert post_reply(client, thread, "Still fine").status_code == 302


@override_settings(COBIOE_COMMUNITY_MAX_LINKS=2)
def test_the_link_limit(client, open_group, thread, poster):
    links = "see https://a.example, [b](http://b.example) and www.c.example"
    response = post_reply(client, thread, links)
    assert response.status_code == 400
    assert "A post may hold at most 2 links; remove some and post again." in messages_of(response)
    assert not Reply.objects.exists()
    response = start_thread(client, open_group, title="Links", body=links)
    assert response.status_code == 400
    assert not Thread.objects.filter(title="Links").exists()
    assert (
        post_reply(client, thread, "only https://a.example and https://b.example").status_code
        == 302
    )


def test_a_flood_is_limited_and_never_a_500(client, thread, poster):
    codes = [post_reply(client, thread, f"Flood {i}").status_code for i in range(40)]
    assert set(codes) <= {302, 400}
    assert codes.count(302) == 30  # COBIOE_COMMUNITY_POSTS_PER_HOUR's default
    assert Reply.objects.count() == 30


def test_a_flood_of_threads_is_limited(client, open_group, poster):
    codes = [start_thread(client, open_group, title=f"T{i}").status_code for i in range(15)]
    assert set(codes) <= {302, 400} and codes.count(302) == 10
