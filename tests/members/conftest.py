import pytest

from tests.factories import ActorPageFactory, MemberFactory, RepresentativeFactory


@pytest.fixture
def member(db):
    return MemberFactory(username="marie", email="marie@lyonbio.eu")


@pytest.fixture
def other_member(db):
    return MemberFactory(username="otto", email="otto@berlin-vectors.de")


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
    RepresentativeFactory(user=member, actor=lyon)
    return member
