"""A member's discussions in their account export, and what their account deletion
leaves of them: the threads and replies stay, signed "former member", with nothing
personal left; their reports, follows, notifications and preferences go. (Every
reference is inventoried in tests/members/test_personal_data.py.)"""

import json

from django.utils import timezone
from django_comments.models import CommentFlag

from cobioe_cms.community.models import (
    Follow,
    GroupMembership,
    Notification,
    NotificationPreference,
    Reply,
    Thread,
)
from tests.factories import GroupMembershipFactory, ThreadFactory, make_reply


def test_export_then_deletion_keeps_the_conversation_as_former_member(
    client, open_group, coordinator, member, outsider
):
    GroupMembershipFactory(group=open_group, user=member)
    mine = ThreadFactory(
        group=open_group, author=member, author_name="Marie Member", title="Marie's question"
    )
    theirs = ThreadFactory(group=open_group, author=coordinator, title="Cora's topic")
    answer = make_reply(theirs, member, text="Marie's answer", ip_address="192.0.2.7")
    other = make_reply(theirs, outsider, text="Otto's answer", parent=answer)
    CommentFlag.objects.create(comment=other, user=member, flag=CommentFlag.SUGGEST_REMOVAL)
    CommentFlag.objects.create(comment=answer, user=outsider, flag=CommentFlag.SUGGEST_REMOVAL)
    Follow.objects.create(user=member, thread=theirs)
    Follow.objects.create(user=outsider, thread=theirs)
    Notification.objects.create(recipient=member, kind="reply", actor=outsider, thread=theirs)
    caused = Notification.objects.create(recipient=coordinator, kind="reply", actor=member)
    NotificationPreference.objects.create(user=member, kind="reply", delivery="digest")

    client.force_login(member)
    data = json.loads(client.get("/members/account/data/").content)["community"]
    assert [t["title"] for t in data["threads"]] == ["Marie's question"]
    assert data["threads"][0]["group"] == open_group.title
    assert [(r["text"], r["thread"]) for r in data["replies"]] == [
        ("Marie's answer", "Cora's topic")
    ]
    assert [f["thread"] for f in data["follows"]] == ["Cora's topic"]
    assert data["notification_preferences"] == [{"kind": "reply", "delivery": "digest"}]
    assert "Otto's answer" not in json.dumps(data)  # another member's text is theirs

    response = client.post(
        "/members/account/delete/", {"password": "a-long-pass-phrase", "confirm": "on"}
    )
    assert response.status_code == 302

    mine = Thread.objects.get(pk=mine.pk)
    assert (mine.author, mine.author_name, mine.title) == (None, "", "Marie's question")
    answer = Reply.objects.get(pk=answer.pk)
    assert (answer.user, answer.user_name, answer.user_email, answer.ip_address) == (
        None,
        "",
        "",
        None,
    )
    assert answer.comment == "Marie's answer" and answer.is_public
    other = Reply.objects.get(pk=other.pk)
    assert (other.user, other.comment, other.parent_id) == (outsider, "Otto's answer", answer.pk)
    # Her reports, follows, notifications and preferences are gone; others' stay.
    assert list(CommentFlag.objects.values_list("user", flat=True)) == [outsider.pk]
    assert list(Follow.objects.values_list("user", flat=True)) == [outsider.pk]
    assert list(Notification.objects.values_list("pk", "recipient", "actor")) == [
        (caused.pk, coordinator.pk, None)
    ]
    assert not NotificationPreference.objects.exists()
    assert not GroupMembership.objects.filter(user=member).exists()

    # The conversation reads on, signed "former member".
    client.logout()
    page = client.get(theirs.get_absolute_url()).content.decode()
    assert "Marie's answer" in page and "Otto's answer" in page
    assert "former member" in page and "Marie Member" not in page and "marie" not in page
    assert "former member" in client.get(mine.get_absolute_url()).content.decode()


def test_moderator_actions_are_forgotten_not_undone(
    client, open_group, coordinator, member, outsider
):
    membership = GroupMembershipFactory(group=open_group, user=outsider)
    GroupMembership.objects.filter(pk=membership.pk).update(
        muted_at=timezone.now(), muted_by=coordinator
    )
    removed = ThreadFactory(
        group=open_group, author=member, title="Off topic", status="removed", removed_by=coordinator
    )
    thread = ThreadFactory(group=open_group, author=member)
    spam = make_reply(thread, outsider, text="Spam", removed_by=coordinator)
    client.force_login(coordinator)
    data = json.loads(client.get("/members/account/data/").content)["community"]
    assert data["threads_removed"] == [{"thread": "Off topic", "group": open_group.title}]
    assert [m["group"] for m in data["members_muted"]] == [open_group.title]
    assert [r["thread"] for r in data["replies_removed"]] == [thread.title]

    client.post("/members/account/delete/", {"password": "a-long-pass-phrase", "confirm": "on"})

    removed = Thread.objects.get(pk=removed.pk)
    assert (removed.status, removed.removed_by) == ("removed", None)
    assert Reply.objects.get(pk=spam.pk).removed_by is None
    membership.refresh_from_db()
    assert membership.muted_by is None and membership.is_muted
