"""Sections of higher apps in the watch digest (the watch imports none of them), and the
community's "Activity in your groups": the notifications a member wants in their digest,
each in one digest, only what they may still read."""

import ast
import datetime
import inspect

import pytest
from django.core import mail
from django.utils import timezone

from cobioe_cms.community.models import Notification, NotificationPreference
from cobioe_cms.watch import digest_sections, digests
from cobioe_cms.watch.digests import send_digests
from cobioe_cms.watch.models import InterestProfile
from tests.factories import (
    GroupMembershipFactory,
    MemberFactory,
    ThreadFactory,
    WatchItemFactory,
    WorkingGroupPageFactory,
    make_reply,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def subscriber(name: str):
    user = MemberFactory(username=name, email=f"{name}@example.org")
    InterestProfile.objects.create(
        user=user, digest="daily", digest_opt_in_at=NOW - datetime.timedelta(days=2)
    )
    return user


def test_the_watch_digest_imports_no_higher_app():
    for module in (digests, digest_sections):
        tree = ast.parse(inspect.getsource(module))
        imported = [
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        ] + [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        ]
        assert not [name for name in imported if "community" in name]


@pytest.fixture
def extra_section():
    calls = []

    def build(user, since, until):
        if user.username != "ana":
            return None
        return {
            "title": "Events near you",
            "items": [{"text": "Bio <fair>", "url": "https://x.test/e/1"}],
        }

    digest_sections.register_digest_section("events", build, on_sent=lambda u, s: calls.append(u))
    yield calls
    digest_sections.unregister_digest_section("events")


def test_a_registered_section_is_rendered_and_told_when_sent(extra_section):
    ana = subscriber("ana")
    subscriber("ben")  # nothing for him anywhere: no e-mail
    stats = send_digests("daily")
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert stats["sent"] == 1 and stats["empty"] == 1
    assert message.subject == "[COBIOE] Your watch: Events near you"
    assert "== Events near you ==\n- Bio <fair>\n  https://x.test/e/1" in message.body
    html = message.alternatives[0][0]
    assert '<a href="https://x.test/e/1">Bio &lt;fair&gt;</a>' in html
    assert extra_section == [ana]


def test_a_section_follows_the_watch_items(extra_section):
    subscriber("ana")
    WatchItemFactory(title="Vaccine plant", modalities=["vaccines"])
    profile = InterestProfile.objects.get()
    profile.modalities.set(profile.modalities.model.objects.filter(slug="vaccines"))
    send_digests("daily")
    (message,) = mail.outbox
    assert "1 new item" in message.subject
    assert message.body.index("Vaccine plant") < message.body.index("== Events near you ==")


# -- the community's section ----------------------------------------------------------


@pytest.fixture
def group(db):
    from wagtail.models import Site

    from cobioe_cms.community.models import WorkingGroupIndexPage

    home = Site.objects.get(is_default_site=True).root_page
    index = WorkingGroupIndexPage(title="Working groups", slug="groups")
    home.add_child(instance=index)
    return WorkingGroupPageFactory(
        parent=index,
        title="Steering",
        membership_policy="invitation",
        discussion_visibility="members",
    )


def test_activity_in_your_groups_is_in_the_digest_once(group):
    ana = subscriber("ana")
    GroupMembershipFactory(group=group, user=ana)
    NotificationPreference.objects.create(user=ana, kind="reply", delivery="digest")
    author = MemberFactory(username="cora")
    thread = ThreadFactory(group=group, author=author, title="Budget review")
    reply = make_reply(thread, author, "Numbers attached.")
    wanted = Notification.objects.create(
        recipient=ana, kind="reply", group=group, thread=thread, reply=reply, actor=author
    )
    # Left for the page only (this kind is "at once", already e-mailed or read):
    Notification.objects.create(
        recipient=ana, kind="reply", group=group, thread=thread, emailed_at=NOW
    )
    Notification.objects.create(
        recipient=ana, kind="reply", group=group, thread=thread, read_at=NOW
    )
    Notification.objects.create(recipient=ana, kind="mention", group=group, thread=thread)
    send_digests("daily")
    (message,) = mail.outbox
    assert "== Activity in your groups ==" in message.body
    assert message.body.count("replied in “Budget review”") == 1
    assert f"/community/notifications/{wanted.pk}/open/" in message.body
    wanted.refresh_from_db()
    assert wanted.emailed_at is not None
    mail.outbox.clear()
    send_digests("daily", now=timezone.now() + datetime.timedelta(days=1))
    assert mail.outbox == []  # nothing new: no second copy


def test_a_group_left_is_not_in_the_digest(group):
    ana = subscriber("ana")
    GroupMembershipFactory(group=group, user=ana, status="left")
    NotificationPreference.objects.create(user=ana, kind="new_thread", delivery="digest")
    thread = ThreadFactory(group=group, author=MemberFactory(username="cora"), title="Secret plan")
    Notification.objects.create(recipient=ana, kind="new_thread", group=group, thread=thread)
    send_digests("daily")
    assert mail.outbox == []
    assert Notification.objects.get().emailed_at is None


def test_membership_news_in_the_digest(group):
    ana = subscriber("ana")
    NotificationPreference.objects.create(user=ana, kind="membership", delivery="digest")
    Notification.objects.create(recipient=ana, kind="membership", verb="promoted", group=group)
    send_digests("daily")
    (message,) = mail.outbox
    assert "You are now a coordinator of “Steering”." in message.body
