"""The discussions' main path end to end with the test client (the detailed rules are in
the other test_discussions_* modules)."""

import datetime

import pytest
from django.utils import timezone

from cobioe_cms.community.models import Reply, Thread
from tests.factories import GroupMembershipFactory, ThreadFactory, make_reply

from .conftest import url


@pytest.fixture
def veteran(member):
    member.date_joined = timezone.now() - datetime.timedelta(days=30)
    member.save(update_fields=["date_joined"])
    return member


def test_member_starts_a_thread_and_another_replies(client, open_group, veteran, coordinator):
    GroupMembershipFactory(group=open_group, user=veteran)
    client.force_login(veteran)
    response = client.post(
        url("new_thread", open_group.pk),
        {"title": "Fill & finish slots", "body": "Who has **capacity**?"},
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert thread.is_visible
    page = client.get(thread.get_absolute_url())
    assert page.status_code == 200
    assert b"<strong>capacity</strong>" in page.content
    form = page.context["form"]
    coordinator.date_joined = timezone.now() - datetime.timedelta(days=30)
    coordinator.save(update_fields=["date_joined"])
    client.force_login(coordinator)
    data = {
        **form.initial,
        "reply_to": 0,
        "comment": "We do, <script>alert(1)</script>",
        "honeypot": "",
    }
    response = client.post(url("post_reply", open_group.pk, thread.pk), data)
    assert response.status_code == 302
    reply = Reply.objects.get()
    assert reply.is_public and reply.user == coordinator
    page = client.get(response["Location"], follow=True)
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page.content
    assert b"<script>alert(1)" not in page.content
    thread.refresh_from_db()
    assert thread.reply_count == 1
    group_page = client.get(open_group.url)
    assert b"Fill &amp; finish slots" in group_page.content


def test_members_only_thread_is_a_404_for_outsiders(
    client, invitation_group, outsider, coordinator
):
    thread = ThreadFactory(group=invitation_group, author=coordinator)
    make_reply(thread, coordinator, "secret words")
    assert client.get(thread.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(thread.get_absolute_url()).status_code == 404
    reply = Reply.objects.get()
    assert client.get(url("reply", reply.pk)).status_code == 404
    assert b"secret words" not in client.get(invitation_group.url).content
