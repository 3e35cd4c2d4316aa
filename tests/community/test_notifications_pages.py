"""The notifications page (own notifications only, unread marked, mark all read, open
one), the preferences form (bad input refused), and the unread count in the header (one
query for a member, none for a visitor)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cobioe_cms.community.models import Notification, NotificationPreference
from tests.factories import GroupMembershipFactory, ThreadFactory, make_reply

from .conftest import url

pytestmark = pytest.mark.django_db


def note(recipient, **fields):
    return Notification.objects.create(recipient=recipient, **fields)


@pytest.fixture
def thread(open_group, coordinator):
    return ThreadFactory(group=open_group, author=coordinator, title="Vial shortage")


def test_the_page_needs_a_signed_in_member(client):
    response = client.get(url("notifications"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_page_lists_own_notifications_newest_first(
    client, member, outsider, thread, open_group, coordinator
):
    reply = make_reply(thread, coordinator, "Any news?")
    note(member, kind="reply", thread=thread, group=open_group, reply=reply, actor=coordinator)
    note(
        member,
        kind="membership",
        verb="approved",
        group=open_group,
        read_at=timezone.now(),
        created_at=timezone.now() - timezone.timedelta(days=1),
    )
    note(outsider, kind="new_thread", thread=thread, group=open_group)
    client.force_login(member)
    response = client.get(url("notifications"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "replied in “Vial shortage”" in html
    assert "Your request to join “mRNA manufacturing” was approved." in html
    assert html.index("Vial shortage") < html.index("was approved")
    assert "started “Vial shortage”" not in html  # the outsider's
    assert html.count('class="badge">unread') == 1
    assert "1 unread notification." in html
    # Looking at the page marks nothing read.
    assert Notification.objects.filter(recipient=member, read_at=None).count() == 1


def test_empty_state(client, member):
    client.force_login(member)
    html = client.get(url("notifications")).content.decode()
    assert "No notifications yet." in html
    assert "Mark all read" not in html


def test_opening_a_notification_marks_it_read_and_goes_there(
    client, member, outsider, thread, open_group, coordinator
):
    reply = make_reply(thread, coordinator)
    mine = note(member, kind="reply", thread=thread, group=open_group, reply=reply)
    response = client.get(url("open_notification", mine.pk))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(outsider)
    assert client.get(url("open_notification", mine.pk)).status_code == 404
    client.force_login(member)
    response = client.get(url("open_notification", mine.pk))
    assert response.status_code == 302
    assert response["Location"] == url("reply", reply.pk)
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_a_notification_of_a_group_left_hides_its_title(
    client, member, invitation_group, coordinator
):
    secret = ThreadFactory(group=invitation_group, author=coordinator, title="Budget 42k")
    membership = GroupMembershipFactory(group=invitation_group, user=member)
    mine = note(member, kind="new_thread", thread=secret, group=invitation_group)
    client.force_login(member)
    assert "Budget 42k" in client.get(url("notifications")).content.decode()
    membership.status = "left"
    membership.save()
    html = client.get(url("notifications")).content.decode()
    assert "Budget 42k" not in html
    assert "can no longer read" in html
    response = client.get(url("open_notification", mine.pk))
    assert response["Location"] == url("notifications")


def test_mark_all_read(client, member, outsider, open_group):
    for _ in range(3):
        note(member, kind="membership", verb="promoted", group=open_group)
    theirs = note(outsider, kind="membership", verb="promoted", group=open_group)
    client.force_login(member)
    assert client.get(url("mark_all_read")).status_code == 405
    response = client.post(url("mark_all_read"))
    assert response.status_code == 302 and response["Location"] == url("notifications")
    assert not Notification.objects.filter(recipient=member, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_is_paginated(client, member, open_group):
    for _ in range(30):
        note(member, kind="membership", verb="promoted", group=open_group)
    client.force_login(member)
    first = client.get(url("notifications"))
    assert len(first.context["entries"]) == 25
    second = client.get(url("notifications"), {"page": "2"})
    assert len(second.context["entries"]) == 5
    assert client.get(url("notifications"), {"page": "x"}).status_code == 200


# -- preferences ------------------------------------------------------------------------


def test_preferences_show_the_defaults_and_save(client, member):
    client.force_login(member)
    response = client.get(url("notification_preferences"))
    assert response.status_code == 200
    assert response.context["form"]["new_thread"].initial == "digest"
    assert response.context["form"]["reply"].initial == "immediately"
    data = {
        "reply": "digest",
        "mention": "immediately",
        "membership": "never",
        "new_thread": "never",
    }
    response = client.post(url("notification_preferences"), data)
    assert response.status_code == 302
    saved = dict(NotificationPreference.objects.filter(user=member).values_list("kind", "delivery"))
    assert saved == data


def test_a_forged_preference_is_refused_and_changes_nothing(client, member):
    client.force_login(member)
    data = {"reply": "hourly", "mention": "immediately", "membership": "never"}
    response = client.post(url("notification_preferences"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was changed" in html
    assert "“hourly” is not one of the choices" in html
    assert "Choose how to hear of this." in html  # new_thread missing
    assert not NotificationPreference.objects.exists()


# -- the header -------------------------------------------------------------------------


def test_the_header_shows_the_unread_count_with_one_query(client, member, open_group):
    note(member, kind="membership", verb="promoted", group=open_group)
    note(member, kind="membership", verb="approved", group=open_group)
    note(member, kind="membership", verb="joined", group=open_group, read_at=timezone.now())
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/privacy/").content.decode()
    counts = [q["sql"] for q in queries if "cobioe_community_notification" in q["sql"]]
    assert len(counts) == 1
    assert "Notifications (2)" in html
    assert 'aria-label="Notifications, 2 unread"' in html


def test_the_header_costs_a_visitor_nothing(client):
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/privacy/").content.decode()
    assert "Notifications (" not in html
    assert not [q for q in queries if "cobioe_community_notification" in q["sql"]]


def test_the_dashboard_links_to_notifications_and_their_preferences(client, member):
    client.force_login(member)
    page = client.get("/members/").content.decode()
    assert f'href="{url("notifications")}"' in page
    assert f'href="{url("notification_preferences")}"' in page
