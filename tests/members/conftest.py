import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, User

from cobioe_cms.members.forms import quiet_wagtail_notifications
from cobioe_cms.members.models import MemberProfile, Representative
from tests.factories import ActorPageFactory


def make_member(username: str, email: str, password: str = "a-long-pass-phrase") -> User:
    user = User.objects.create_user(username, email, password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    MemberProfile.objects.create(user=user, full_name=username.title())
    quiet_wagtail_notifications(user)  # as sign-up does
    return user


@pytest.fixture
def member(db):
    return make_member("marie", "marie@lyonbio.eu")


@pytest.fixture
def other_member(db):
    return make_member("otto", "otto@berlin-vectors.de")


@pytest.fixture
def editor(db):
    user = make_member("edith", "edith@cobioe.eu")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def lyon(cartography):
    return ActorPageFactory(
        parent=cartography,
        title="Lyon Biologics",
        website="https://www.lyonbio.eu/",
        city="Lyon",
        stages=["production"],
    )


@pytest.fixture
def berlin(cartography):
    return ActorPageFactory(parent=cartography, title="Berlin Vectors", country="DE", city="Berlin")


@pytest.fixture
def representative(member, lyon):
    Representative.objects.create(user=member, actor=lyon)
    return member
