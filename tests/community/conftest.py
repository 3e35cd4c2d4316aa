import pytest
from wagtail.models import Site

from cobioe_cms.community.models import WorkingGroupIndexPage
from tests.factories import (
    GroupMembershipFactory,
    MemberFactory,
    ThreadFactory,
    WorkingGroupPageFactory,
)


@pytest.fixture
def groups_index(db):
    home = Site.objects.get(is_default_site=True).root_page
    index = WorkingGroupIndexPage(title="Working groups", slug="groups")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def coordinator(db):
    return MemberFactory(username="cora", email="cora@lyonbio.eu", full_name="Cora Coord")


@pytest.fixture
def member(db):
    return MemberFactory(username="marie", email="marie@lyonbio.eu", full_name="Marie Member")


@pytest.fixture
def outsider(db):
    return MemberFactory(username="otto", email="otto@berlin-vectors.de", full_name="Otto Out")


def _group(index, coordinator, policy, title, **kwargs):
    group = WorkingGroupPageFactory(parent=index, title=title, membership_policy=policy, **kwargs)
    GroupMembershipFactory(group=group, user=coordinator, role="coordinator")
    return group


@pytest.fixture
def open_group(groups_index, coordinator):
    return _group(groups_index, coordinator, "open", "mRNA manufacturing", stages=["production"])


@pytest.fixture
def approval_group(groups_index, coordinator):
    return _group(groups_index, coordinator, "approval", "Cell therapy QC", countries=["FR"])


@pytest.fixture
def invitation_group(groups_index, coordinator):
    return _group(
        groups_index,
        coordinator,
        "invitation",
        "Steering committee",
        discussion_visibility="members",
    )


@pytest.fixture
def thread(open_group, coordinator):
    """A published thread of ``open_group``, started by its coordinator."""
    from .discussions_support import seasoned

    return ThreadFactory(group=open_group, author=seasoned(coordinator), body="Opening post")


@pytest.fixture
def poster(open_group):
    """A member of ``open_group`` whose posts are published at once."""
    from .discussions_support import member_of

    return member_of(open_group, "paula", full_name="Paula Poster")


def url(name, *args):
    from django.urls import reverse

    return reverse(f"community:{name}", args=args)
