"""The groups index (filters with counts, "my groups", pages, empty state), the group
page, their SQL query counts, the page-tree rules and the markup."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cobioe_cms.community.models import WorkingGroupIndexPage, WorkingGroupPage
from cobioe_cms.core.models import ContentPage
from tests.factories import GroupMembershipFactory, MemberFactory, WorkingGroupPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(groups_index, coordinator):
    made = [
        WorkingGroupPageFactory(
            parent=groups_index,
            title="Alpha",
            stages=["production"],
            countries=["FR", "DE"],
            membership_policy="open",
        ),
        WorkingGroupPageFactory(
            parent=groups_index,
            title="Beta",
            stages=["production"],
            modalities=["mrna-nucleic-acids"],
            countries=["FR"],
        ),
        WorkingGroupPageFactory(parent=groups_index, title="Gamma", countries=["PT"]),
    ]
    for group in made:
        GroupMembershipFactory(group=group, user=coordinator, role="coordinator")
    return made


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_index_lists_live_groups_with_member_counts(client, groups_index, groups):
    groups[2].unpublish()
    GroupMembershipFactory(group=groups[0])
    GroupMembershipFactory(group=groups[0], status="pending")
    page = html(client.get(groups_index.url))
    assert "2 working groups" in page
    assert "Alpha" in page and "Beta" in page and "Gamma" not in page
    assert "2 members" in page  # Alpha: its coordinator and one active member
    assert "1 member\n" in page  # Beta: the pending request is not counted


def test_topic_filter_with_counts(client, groups_index, groups):
    page = html(client.get(groups_index.url))
    # Counts per value over the listed groups.
    assert "Production" in page
    assert 'href="?stage=production"' in page
    filtered = html(client.get(groups_index.url + "?stage=production"))
    assert "2 working groups" in filtered
    assert "Gamma" not in filtered
    # Countries of the filtered groups, each with its count.
    assert re.search(
        r'href="\?country=FR&amp;stage=production">France</a>\s*<span class="facet__count">\(2\)',
        filtered,
    )
    assert re.search(r">Portugal</a>", filtered) is None  # Gamma is not production


def test_country_filter_and_counts(client, groups_index, groups):
    from cobioe_cms.community.filters import GroupFilters

    facets = GroupFilters.from_query({}).facet_counts(groups_index.groups())
    countries = {o["value"]: o["count"] for o in facets[-1]["options"]}
    assert countries == {"FR": 2, "DE": 1, "PT": 1}
    stages = {o["value"]: o["count"] for o in facets[0]["options"]}
    assert stages == {"production": 2}
    assert {o["value"]: o["count"] for o in facets[1]["options"]} == {"mrna-nucleic-acids": 1}
    page = html(client.get(groups_index.url + "?country=pt"))
    assert "1 working group" in page and "Gamma" in page and "Alpha" not in page


def test_unknown_filter_values_are_ignored_with_a_message(client, groups_index, groups):
    page = html(client.get(groups_index.url + "?stage=nope&country=ZZ&page=abc"))
    assert "3 working groups" in page
    assert "“nope” is not a known" in page
    assert "“ZZ” is not a country code" in page
    assert "is not a page number" in page


def test_empty_states(client, groups_index, groups):
    assert "No working group matches these filters." in html(
        client.get(groups_index.url + "?stage=production&country=PT")
    )
    WorkingGroupPage.objects.all().delete()
    assert "No working group has been created yet." in html(client.get(groups_index.url))


def test_my_groups(client, groups_index, groups, member):
    GroupMembershipFactory(group=groups[1], user=member)
    GroupMembershipFactory(group=groups[2], user=member, status="pending")
    assert "My groups" not in html(client.get(groups_index.url))  # anonymous
    client.force_login(member)
    page = html(client.get(groups_index.url + "?mine=1"))
    assert "1 working group" in page and "Beta" in page and "Alpha" not in page
    client.force_login(MemberFactory())
    assert "You are not a member of any group yet." in html(
        client.get(groups_index.url + "?mine=1")
    )


def test_pagination(client, groups_index, coordinator):
    for n in range(WorkingGroupIndexPage.PER_PAGE + 1):
        WorkingGroupPageFactory(parent=groups_index, title=f"Group {n:02d}")
    first = html(client.get(groups_index.url))
    assert 'rel="next"' in first
    second = html(client.get(groups_index.url + "?page=2"))
    assert "Group 12" in second and "Group 00" not in second
    assert "showing the last one" in html(client.get(groups_index.url + "?page=99"))


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _make_groups(index, count, start=0):
    for n in range(start, start + count):
        group = WorkingGroupPageFactory(
            parent=index,
            title=f"G{n:03d}",
            stages=["production"],
            modalities=["mrna-nucleic-acids"],
            countries=["FR", "DE"],
        )
        GroupMembershipFactory(group=group)


def test_index_query_count_does_not_grow_with_groups(client, groups_index, member):
    client.force_login(member)
    _make_groups(groups_index, 5)
    client.get(groups_index.url)  # warm the caches (site, locales)
    few = _queries(client, groups_index.url + "?stage=production")
    _make_groups(groups_index, 45, start=5)
    many = _queries(client, groups_index.url + "?stage=production")
    assert few == many


def test_group_page_query_count_does_not_grow_with_members(client, open_group, member, cartography):
    from tests.factories import ActorPageFactory, RepresentativeFactory

    GroupMembershipFactory(group=open_group, user=member)
    actor = ActorPageFactory(parent=cartography, title="Some Bio")

    def add(count):
        for _n in range(count):
            m = GroupMembershipFactory(group=open_group)
            RepresentativeFactory(user=m.user, actor=actor)

    add(4)
    client.force_login(member)
    client.get(open_group.url)
    few = _queries(client, open_group.url)
    add(45)
    many = _queries(client, open_group.url)
    assert few == many
    assert "Some Bio" in html(client.get(open_group.url))


def test_tree_rules(groups_index):
    assert WorkingGroupPage.can_create_at(groups_index)
    assert not WorkingGroupPage.can_create_at(groups_index.get_parent())
    assert WorkingGroupIndexPage.can_create_at(ContentPage.objects.first())  # any parent
    assert not WorkingGroupIndexPage.can_create_at(groups_index.get_parent())  # one per parent
    assert WorkingGroupPage.allowed_subpage_models() == []


def test_editors_create_a_group_in_the_admin(client, editor, groups_index):
    client.force_login(editor)
    add_url = f"/admin/pages/add/cobioe_community/workinggrouppage/{groups_index.pk}/"
    assert client.get(add_url).status_code == 200


VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class _Balance(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.ids = [], [], set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id":
                if value in self.ids:
                    self.errors.append(f"duplicate id {value}")
                self.ids.add(value)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
        else:
            self.stack.pop()


def assert_balanced(page: str):
    checker = _Balance()
    checker.feed(page)
    assert checker.errors == [] and checker.stack == []


def test_the_pages_markup_is_balanced(client, groups_index, groups, coordinator, member):
    from .conftest import url

    GroupMembershipFactory(group=groups[1], user=member, status="pending", reason="Hi")
    client.force_login(coordinator)
    for path in (
        groups_index.url,
        groups_index.url + "?stage=production&mine=1",
        groups[1].url,
        url("manage", groups[1].pk),
        url("request", groups[2].pk),
        "/members/",
        "/fr" + groups[1].url,
    ):
        assert_balanced(html(client.get(path)))


def test_manage_page_and_dashboard_query_counts_do_not_grow(client, open_group, coordinator):
    from .conftest import url

    def add(count):
        for _n in range(count):
            GroupMembershipFactory(group=open_group)
            GroupMembershipFactory(group=open_group, status="pending", reason="Please")

    add(5)
    client.force_login(coordinator)
    client.get(url("manage", open_group.pk))
    few = (_queries(client, url("manage", open_group.pk)), _queries(client, "/members/"))
    add(45)
    many = (_queries(client, url("manage", open_group.pk)), _queries(client, "/members/"))
    assert few == many
