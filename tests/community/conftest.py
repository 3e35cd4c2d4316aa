import pytest
from wagtail.models import Site

from cobioe_cms.community.models import WorkingGroupIndexPage
from tests.factories import GroupMembershipFactory, MemberFactory, WorkingGroupPageFactory


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


def url(name, *args):
    from django.urls import reverse

    return reverse(f"community:{name}", args=args)
