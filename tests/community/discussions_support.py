"""Helpers of the test_discussions_* modules: members who post directly (accounts older
than COBIOE_COMMUNITY_NEW_ACCOUNT_DAYS), and replies posted as the thread page's form
would post them."""

import datetime

from django.utils import timezone

from cobioe_cms.community.forms import ReplyForm
from tests.factories import GroupMembershipFactory, MemberFactory

from .conftest import url


def seasoned(user, days: int = 30):
    """``user``, whose account is ``days`` old: their posts are not held."""
    user.date_joined = timezone.now() - datetime.timedelta(days=days)
    user.save(update_fields=["date_joined"])
    return user


def member_of(group, username: str, role: str = "member", status: str = "active", **fields):
    user = seasoned(MemberFactory(username=username, email=f"{username}@example.org", **fields))
    GroupMembershipFactory(group=group, user=user, role=role, status=status)
    return user


def reply_form_data(thread, text: str = "A reply.", reply_to=0, **extra) -> dict:
    """What the thread page's reply form sends (a fresh signed form of ``thread``)."""
    data = {**ReplyForm(thread).initial, "reply_to": reply_to, "comment": text, "honeypot": ""}
    data.update(extra)
    return data


def post_reply(client, thread, text: str = "A reply.", reply_to=0, **extra):
    return client.post(
        url("post_reply", thread.group_id, thread.pk),
        reply_form_data(thread, text, reply_to, **extra),
    )


def start_thread(
    client, group, title: str = "A question", body: str = "What do you think?", **extra
):
    return client.post(url("new_thread", group.pk), {"title": title, "body": body, **extra})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []
