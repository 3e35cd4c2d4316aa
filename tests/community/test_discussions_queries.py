"""The thread page and the group page make as many queries for a few posts as for many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ThreadFactory, make_reply

from .discussions_support import member_of, seasoned

pytestmark = pytest.mark.django_db


def _queries(client, address) -> int:
    client.get(address)  # warm the per-process caches (site root, content types)
    with CaptureQueriesContext(connection) as context:
        response = client.get(address)
    assert response.status_code == 200
    return len(context.captured_queries)


def _thread_with(group, author, others, count):
    thread = ThreadFactory(group=group, author=author, body="Ask @acme-bio")
    parents = []
    for i in range(count):
        parent = parents[-1] if i % 3 else None  # roots and answers, some nested
        reply = make_reply(thread, others[i % len(others)], f"Reply {i}", parent=parent)
        parents.append(reply if (parent is None or parent.level < 2) else parent)
    return thread


@pytest.mark.parametrize("who", ["anonymous", "member", "coordinator"])
def test_the_thread_page_queries_do_not_grow_with_replies(client, open_group, coordinator, who):
    seasoned(coordinator)
    others = [member_of(open_group, f"m{i}") for i in range(4)]
    small = _thread_with(open_group, coordinator, others, 10)
    large = _thread_with(open_group, coordinator, others, 60)
    if who == "member":
        client.force_login(others[0])
    elif who == "coordinator":
        client.force_login(coordinator)
    few = _queries(client, small.get_absolute_url())
    many = _queries(client, large.get_absolute_url())
    assert few == many, (few, many)


@pytest.mark.parametrize("who", ["anonymous", "member", "coordinator"])
def test_the_group_page_queries_do_not_grow_with_threads(client, groups_index, coordinator, who):
    from tests.factories import WorkingGroupPageFactory

    seasoned(coordinator)
    counts = []
    for size in (5, 40):
        group = WorkingGroupPageFactory(parent=groups_index, title=f"Group of {size}")
        author = member_of(group, f"author{size}")
        from tests.factories import GroupMembershipFactory

        GroupMembershipFactory(group=group, user=coordinator, role="coordinator")
        for i in range(size):
            thread = ThreadFactory(group=group, author=author, is_pinned=i == 0)
            make_reply(thread, author, "Hello")
        if who == "member":
            client.force_login(author)
        elif who == "coordinator":
            client.force_login(coordinator)
        counts.append(_queries(client, group.url))
    assert counts[0] == counts[1], counts
