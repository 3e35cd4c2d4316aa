"""Ids beyond what a database column holds, in addresses and forms: a 404 or a form
error, never a 500 (SQLite raises OverflowError for them)."""

import pytest

from tests.factories import ThreadFactory, make_reply

from .conftest import url as base_url
from .discussions_support import member_of, seasoned

pytestmark = pytest.mark.django_db

HUGE = 10**20
MARK = 987654321  # reversed, then replaced by HUGE (the URLs' converter reverses no such id)


def url(name, *args):
    return base_url(name, *(MARK if a == HUGE else a for a in args)).replace(str(MARK), str(HUGE))


def test_huge_ids_in_addresses_are_404(client, open_group, coordinator):
    thread = ThreadFactory(group=open_group, author=seasoned(coordinator))
    make_reply(thread, coordinator)
    client.force_login(coordinator)
    g, t = open_group.pk, thread.pk
    for address in (
        url("thread", HUGE, t),
        url("thread", g, HUGE),
        url("new_thread", HUGE),
        url("edit_thread", g, HUGE),
        url("reply", HUGE),
        url("edit_reply", HUGE),
        url("moderation", HUGE),
    ):
        assert client.get(address).status_code == 404, address
    for address in (
        url("post_reply", g, HUGE),
        url("follow_thread", g, HUGE),
        url("move_thread", g, HUGE),
        url("moderate_thread", g, HUGE, "lock"),
        url("delete_reply", HUGE),
        url("flag_reply", HUGE),
        url("moderate_reply", HUGE, "remove"),
        url("mute", g, HUGE),
        url("unmute", HUGE, 1),
    ):
        assert client.post(address).status_code == 404, address


def test_a_huge_group_to_move_to_is_a_form_error(client, open_group, coordinator):
    thread = ThreadFactory(group=open_group, author=seasoned(coordinator))
    client.force_login(coordinator)
    response = client.post(url("move_thread", open_group.pk, thread.pk), {"group": HUGE})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.group == open_group


def test_huge_page_numbers_and_reply_to_in_the_thread_page(client, open_group, coordinator):
    thread = ThreadFactory(group=open_group, author=coordinator)
    client.force_login(member_of(open_group, "paula"))
    for query in ({"page": HUGE}, {"reply_to": HUGE, "quote": 1}, {"page": "-1"}):
        assert client.get(thread.get_absolute_url(), query).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/community/groups/100000000000000000000/join/",
        "/community/groups/100000000000000000000/manage/",
        "/community/groups/1/members/100000000000000000000/approve/",
    ],
)
def test_membership_urls_with_ids_no_column_holds_are_404(client, member, path):
    client.force_login(member)
    assert client.post(path).status_code == 404
    assert client.get(path).status_code in (404, 405)
