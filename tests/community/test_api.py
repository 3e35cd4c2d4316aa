"""The community's open data in the API: public working groups and current
opportunities only, with no personal data."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from cobioe_cms.community.models import (
    OpportunityBoardPage,
    OpportunityPage,
    WorkingGroupIndexPage,
    WorkingGroupPage,
)
from tests.factories import (
    ActorPageFactory,
    GroupMembershipFactory,
    MemberFactory,
    WorkingGroupPageFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/"


@pytest.fixture
def home(db):
    return Site.objects.get(is_default_site=True).root_page


@pytest.fixture
def groups_index(home):
    index = WorkingGroupIndexPage(title="Working groups", slug="groups")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def board(home):
    page = OpportunityBoardPage(title="Opportunities", slug="opportunities")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def opportunity(board, organisation, title, live=True, **fields) -> OpportunityPage:
    page = OpportunityPage(
        title=title,
        organisation=organisation,
        kind=OpportunityPage.Kind.CAPACITY,
        description=f"{title}: we offer it.",
        live=live,
        **fields,
    )
    board.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    return page


def results(client, url, **params):
    response = client.get(API + url, params)
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content), response.content.decode()


def test_root_lists_the_registered_endpoints(client):
    data = json.loads(client.get(API).content)
    urls = {endpoint["name"]: endpoint["url"] for endpoint in data["endpoints"]}
    assert urls["groups"] == "http://testserver/api/v1/groups/"
    assert urls["opportunities"] == "http://testserver/api/v1/opportunities/"


def test_public_groups_only_without_personal_data(client, groups_index):
    member = MemberFactory(username="marguerite", email="marguerite@example.org")
    open_group = WorkingGroupPageFactory(
        parent=groups_index, title="Vectors", stages=["production"], countries=["FR", "DE"]
    )
    GroupMembershipFactory(group=open_group, user=member)
    GroupMembershipFactory(group=open_group, status="invited")
    restricted = WorkingGroupPageFactory(parent=groups_index, title="Secret circle")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    draft = WorkingGroupPageFactory(parent=groups_index, title="Draft group")
    draft.unpublish()

    data, body = results(client, "groups/")
    assert [group["title"] for group in data["results"]] == ["Vectors"]
    group = data["results"][0]
    assert group["id"] == open_group.pk and group["stages"] == ["production"]
    assert sorted(group["countries"]) == ["DE", "FR"]
    active = WorkingGroupPage.objects.with_member_count().get(pk=open_group.pk).member_count
    assert group["member_count"] == active == 1
    assert group["url"] == f"http://testserver{open_group.url}"
    assert "marguerite" not in body and "@" not in body


def test_current_opportunities_only(client, board, cartography):
    today = timezone.localdate()
    lyon = ActorPageFactory(parent=cartography, title="Lyon Biologics")
    gone = ActorPageFactory(parent=cartography, title="Gone Bio")
    poster = MemberFactory(username="rita", email="rita@lyonbio.eu")
    soon = opportunity(
        board, lyon, "Fill-finish line", expires_on=today + timedelta(days=3), posted_by=poster
    )
    later = opportunity(board, lyon, "Cleanroom", expires_on=today + timedelta(days=40))
    opportunity(board, lyon, "Expired", expires_on=today - timedelta(days=1))
    opportunity(board, lyon, "Closed", status=OpportunityPage.Status.CLOSED)
    opportunity(board, lyon, "Draft", live=False)
    opportunity(board, gone, "Of an unpublished organisation")
    gone.unpublish()
    restricted = opportunity(board, lyon, "Restricted")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")

    data, body = results(client, "opportunities/")
    assert [item["id"] for item in data["results"]] == [soon.pk, later.pk]
    expected = set(OpportunityPage.objects.current().public().values_list("pk", flat=True))
    assert {item["id"] for item in data["results"]} == expected
    first = data["results"][0]
    assert first["organisation"] == {"id": lyon.pk, "name": "Lyon Biologics"}
    assert first["expires_on"] == (today + timedelta(days=3)).isoformat()
    assert "rita" not in body and "@" not in body


def test_query_counts_do_not_grow(client, board, cartography, groups_index):
    lyon = ActorPageFactory(parent=cartography, title="Lyon Biologics")

    def queries(url):
        with CaptureQueriesContext(connection) as context:
            data, _body = results(client, url)
        return len(context.captured_queries), data["count"]

    for n in range(2):
        opportunity(board, lyon, f"Offer {n}")
        WorkingGroupPageFactory(parent=groups_index, stages=["production"])
    results(client, "groups/")  # the site's root paths, cached from then on
    few = [queries("opportunities/"), queries("groups/")]
    for n in range(2, 12):
        opportunity(board, lyon, f"Offer {n}")
        WorkingGroupPageFactory(parent=groups_index, modalities=["vaccines"])
    many = [queries("opportunities/"), queries("groups/")]
    assert [count for count, _n in many] == [count for count, _n in few]
    assert [n for _count, n in many] == [12, 12]


def test_bad_page_is_400(client, groups_index):
    response = client.get(API + "groups/", {"page": "7"})
    assert response.status_code == 400
    assert "no page 7" in json.loads(response.content)["detail"]
