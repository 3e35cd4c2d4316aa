"""Following groups and threads, and who is notified of what: replies to followers,
new threads to a group's followers, mentions to the organisation's representatives,
membership decisions to the member; e-mails as each member chose (at once in their
language, in the digest, never); a members-only group's posts reach its readers only."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from cobioe_cms.community import discussions, memberships
from cobioe_cms.community.models import Follow, Notification, NotificationPreference
from tests.factories import (
    ActorPageFactory,
    GroupMembershipFactory,
    MemberFactory,
    RepresentativeFactory,
    ThreadFactory,
)

from .conftest import url

pytestmark = pytest.mark.django_db


def seasoned(user):
    """Their posts are published at once (not held as a young account's are)."""
    user.date_joined = timezone.now() - datetime.timedelta(days=30)
    user.save(update_fields=["date_joined"])
    return user


def join(group, user, language="en", **fields):
    GroupMembershipFactory(group=group, user=user, language=language, **fields)
    return seasoned(user)


def prefer(user, kind, delivery):
    NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": delivery}
    )


@pytest.fixture
def reply_as(django_capture_on_commit_callbacks):
    """Post a reply through the discussions' rules, running what happens on commit (the
    signals, hence the notifications and their e-mails)."""

    def post(user, thread, text="I agree."):
        with django_capture_on_commit_callbacks(execute=True):
            return discussions.post_reply(user, thread, text)

    return post


@pytest.fixture
def thread_in(django_capture_on_commit_callbacks):
    def start(user, group, title="Fill and finish", body="Who has capacity?"):
        with django_capture_on_commit_callbacks(execute=True):
            return discussions.start_thread(user, group, title, body)

    return start


def notified(kind=None):
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return sorted(rows.values_list("recipient__username", flat=True))


# -- following a group ------------------------------------------------------------------


def test_follow_and_stop_following_a_group(client, open_group, member):
    join(open_group, member)
    client.force_login(member)
    page = client.get(open_group.url)
    assert "Follow this group" in page.content.decode()
    response = client.post(url("follow_group", open_group.pk))
    assert response.status_code == 302
    assert Follow.objects.filter(user=member, group=open_group).count() == 1
    client.post(url("follow_group", open_group.pk))  # twice: still one follow
    assert Follow.objects.filter(user=member, group=open_group).count() == 1
    assert "Stop following this group" in client.get(open_group.url).content.decode()
    client.post(url("follow_group", open_group.pk), {"follow": "0"})
    assert not Follow.objects.filter(user=member, group=open_group).exists()


def test_a_public_group_can_be_followed_by_a_non_member(client, open_group, outsider):
    client.force_login(outsider)
    client.post(url("follow_group", open_group.pk))
    assert Follow.objects.filter(user=outsider, group=open_group).exists()


def test_members_only_group_is_followed_by_its_active_members_only(
    client, invitation_group, outsider, member
):
    join(invitation_group, member, status="pending")
    for user in (outsider, member):
        client.force_login(user)
        response = client.post(url("follow_group", invitation_group.pk), follow=True)
        assert response.status_code == 200
        assert "Only members of this group can follow" in response.content.decode()
        assert "Follow this group" not in response.content.decode()
    assert not Follow.objects.exists()


def test_following_needs_a_signed_in_member_and_a_post(client, open_group, member):
    response = client.post(url("follow_group", open_group.pk))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(member)
    assert client.get(url("follow_group", open_group.pk)).status_code == 405
    assert client.post(url("follow_group", 999999)).status_code == 404
    assert not Follow.objects.exists()


# -- replies, new threads, mentions ----------------------------------------------------


def test_a_reply_notifies_the_threads_followers_but_not_its_author(
    open_group, coordinator, member, outsider, reply_as
):
    thread = ThreadFactory(group=open_group, author=seasoned(coordinator))
    discussions.follow_thread(coordinator, thread)
    join(open_group, member)
    join(open_group, outsider)  # a member who does not follow the thread
    reply = reply_as(member, thread)
    assert notified() == ["cora"]
    notification = Notification.objects.get()
    assert (notification.kind, notification.reply, notification.thread) == ("reply", reply, thread)
    assert notification.actor == member and notification.group == open_group
    # Replying made the member a follower: the coordinator's answer reaches them.
    reply_as(coordinator, thread, "Thanks!")
    assert notified() == ["cora", "marie"]


def test_a_members_only_reply_reaches_active_members_only(
    invitation_group, coordinator, member, outsider, reply_as
):
    thread = ThreadFactory(group=invitation_group, author=seasoned(coordinator))
    join(invitation_group, member)
    left = join(invitation_group, MemberFactory(username="lea"), status="left")
    for user in (member, left, outsider):  # followed while they could read
        Follow.objects.create(user=user, thread=thread)
    reply_as(coordinator, thread, "Members only: the budget is 42k.")
    assert notified() == ["marie"]
    assert [m.to for m in mail.outbox] == [["marie@lyonbio.eu"]]


def test_muted_members_still_hear_of_replies(open_group, coordinator, member, reply_as):
    thread = ThreadFactory(group=open_group, author=seasoned(coordinator))
    join(open_group, member, muted_at=timezone.now())
    discussions.follow_thread(member, thread)
    reply_as(coordinator, thread)
    assert notified("reply") == ["marie"]


def test_a_new_thread_notifies_the_groups_followers(
    open_group, coordinator, member, outsider, thread_in
):
    join(open_group, member)
    Follow.objects.create(user=member, group=open_group)
    Follow.objects.create(user=seasoned(coordinator), group=open_group)
    thread = thread_in(coordinator, open_group)
    assert notified("new_thread") == ["marie"]
    assert Notification.objects.get().thread == thread


def test_a_held_thread_notifies_when_approved(
    open_group, coordinator, member, outsider, django_capture_on_commit_callbacks
):
    GroupMembershipFactory(group=open_group, user=outsider)  # a young account: held
    Follow.objects.create(user=member, group=open_group)
    with django_capture_on_commit_callbacks(execute=True):
        thread = discussions.start_thread(outsider, open_group, "Hello", "First post")
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        discussions.approve_thread(coordinator, thread)
    assert notified("new_thread") == ["marie"]


@pytest.fixture
def acme(cartography):
    return ActorPageFactory(parent=cartography, title="Acme Bio", slug="acme-bio")


def test_a_mention_notifies_the_organisations_representatives_once(
    open_group, coordinator, member, acme, reply_as
):
    thread = ThreadFactory(group=open_group, author=seasoned(coordinator))
    join(open_group, member)
    RepresentativeFactory(user=coordinator, actor=acme)  # follows the thread too
    other = RepresentativeFactory(actor=acme, user=MemberFactory(username="rita")).user
    discussions.follow_thread(coordinator, thread)
    reply_as(member, thread, "Ask @acme-bio, they know.")
    assert notified() == ["cora", "rita"]
    assert notified("mention") == ["cora", "rita"]  # a mention wins over a follow
    assert Notification.objects.filter(recipient=other).get().reply.comment.startswith("Ask")


def test_a_mention_in_a_members_only_group_skips_representatives_who_cannot_read(
    invitation_group, coordinator, member, acme, reply_as
):
    thread = ThreadFactory(group=invitation_group, author=seasoned(coordinator))
    join(invitation_group, member)
    RepresentativeFactory(user=MemberFactory(username="rita"), actor=acme)
    reply_as(coordinator, thread, "What about @acme-bio?")
    assert notified() == []
    # The author mentioning their own organisation is not notified either.
    RepresentativeFactory(user=member, actor=acme)
    reply_as(member, thread, "I am @acme-bio.")
    assert notified("mention") == []
    assert notified("reply") == ["cora"]  # she follows the thread she replied in


def test_a_reply_published_again_is_not_notified_twice(
    open_group, coordinator, member, reply_as, django_capture_on_commit_callbacks
):
    thread = ThreadFactory(group=open_group, author=seasoned(coordinator))
    discussions.follow_thread(coordinator, thread)
    join(open_group, member)
    reply = reply_as(member, thread)
    from cobioe_cms.community.signals import reply_published

    reply_published.send(type(reply), reply=reply, thread=thread)
    assert notified() == ["cora"]


# -- membership decisions --------------------------------------------------------------


def test_membership_decisions_notify_the_member(approval_group, coordinator, member):
    membership = GroupMembershipFactory(group=approval_group, user=member, status="pending")
    memberships.approve(membership, coordinator)
    memberships.promote(membership, coordinator)
    assert list(Notification.objects.order_by("pk").values_list("verb", flat=True)) == [
        "approved",
        "promoted",
    ]
    assert notified("membership") == ["marie", "marie"]
    assert len(mail.outbox) == 2  # the membership e-mails, as before
    assert all(n.emailed_at for n in Notification.objects.all())
    other = GroupMembershipFactory(
        group=approval_group, user=MemberFactory(username="nils"), status="pending"
    )
    memberships.decline(other, coordinator, "Not now.")
    assert Notification.objects.filter(recipient=other.user, verb="declined").exists()


def test_a_member_who_wants_no_membership_mail_gets_the_notification_only(
    approval_group, coordinator, member
):
    prefer(member, "membership", "never")
    membership = GroupMembershipFactory(group=approval_group, user=member, status="pending")
    memberships.approve(membership, coordinator)
    assert mail.outbox == []
    assert Notification.objects.get(recipient=member).verb == "approved"


# -- e-mail preferences ---------------------------------------------------------------


def test_immediately_sends_the_mail_in_the_members_language(
    open_group, coordinator, member, reply_as
):
    thread = ThreadFactory(group=open_group, author=seasoned(coordinator), title="Vials")
    join(open_group, member, language="fr")
    discussions.follow_thread(member, thread)
    reply = reply_as(coordinator, thread, "Nous avons des flacons.")
    (message,) = mail.outbox
    assert message.to == ["marie@lyonbio.eu"]
    assert message.subject.startswith("[COBIOE] ") and "Vials" in message.subject
    assert "Nous avons des flacons." in message.body
    assert f"/fr/community/replies/{reply.pk}/" in message.body  # opens the French site
    assert "/fr/community/notifications/preferences/" in message.body
    assert Notification.objects.get().emailed_at is not None


def test_digest_and_never_send_no_mail(open_group, coordinator, member, outsider, reply_as):
    thread = ThreadFactory(group=open_group, author=seasoned(coordinator))
    join(open_group, member)
    join(open_group, outsider)
    for user in (member, outsider):
        discussions.follow_thread(user, thread)
    prefer(member, "reply", "digest")
    prefer(outsider, "reply", "never")
    reply_as(coordinator, thread)
    assert mail.outbox == []
    assert notified("reply") == ["marie", "otto"]
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()


def test_a_mail_is_not_sent_to_someone_who_left_before_it_went_out(
    invitation_group, coordinator, member
):
    from cobioe_cms.community.notifications import send_notification

    thread = ThreadFactory(group=invitation_group, author=seasoned(coordinator))
    membership = GroupMembershipFactory(group=invitation_group, user=member)
    notification = Notification.objects.create(
        recipient=member, kind="reply", group=invitation_group, thread=thread
    )
    membership.status = "left"
    membership.save()
    assert send_notification(notification) == 0
    assert mail.outbox == []
