"""The demo opportunities: load_demo adds the board under the site root with offers and
requests of distinct demo organisations (some expiring within the reminder period), and
the demo member's organisation posts a request, whichever of load_demo and
load_demo_members runs first. Loading again adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from cobioe_cms.community.models import OpportunityBoardPage, OpportunityPage
from cobioe_cms.community.models.opportunities import MAX_DURATION_DAYS, REMINDER_DAYS
from cobioe_cms.demo.opportunities import OPPORTUNITIES
from cobioe_cms.members.models import Representative

pytestmark = pytest.mark.django_db


def _load(*, member_first: bool = False) -> str:
    out = io.StringIO()
    if member_first:
        call_command("load_demo", actors=0, seed=1, site_root=True, stdout=io.StringIO())
        call_command("load_demo_members", stdout=io.StringIO())
    call_command("load_demo", actors=15, seed=1, site_root=True, stdout=out)
    call_command("load_demo_members", stdout=io.StringIO())
    return out.getvalue()


def test_load_demo_posts_offers_and_requests_on_the_board():
    out = _load()
    assert f"Demo opportunities: {len(OPPORTUNITIES)} new." in out
    board = OpportunityBoardPage.objects.get()
    assert board.live and board.url_path.endswith("/opportunities/")
    current = OpportunityPage.objects.child_of(board).current()
    assert current.count() == len(OPPORTUNITIES) + 1  # with the demo member's request
    assert {o.direction for o in current} == {"offer", "request"}
    organisations = [o.organisation_id for o in current]
    assert len(set(organisations)) == len(organisations)
    today = timezone.localdate()
    days = sorted((o.expires_on - today).days for o in current)
    assert days[0] <= REMINDER_DAYS and days[-1] <= MAX_DURATION_DAYS
    member_request = current.get(organisation__representatives__user__email="member@example.org")
    assert (
        member_request.direction == "request"
        and member_request.posted_by.email == "member@example.org"
    )
    # Someone receives what the demo's relay sends.
    assert Representative.objects.filter(
        actor__in=[o.organisation_id for o in current], user__email="coordinator@example.org"
    ).exists()

    out = io.StringIO()
    call_command("load_demo", actors=15, seed=1, site_root=True, stdout=out)
    call_command("load_demo_members", stdout=io.StringIO())
    assert "Demo opportunities: 0 new." in out.getvalue()
    assert OpportunityPage.objects.count() == len(OPPORTUNITIES) + 1


def test_the_member_request_comes_when_the_member_was_loaded_first():
    _load(member_first=True)
    assert (
        OpportunityPage.objects.filter(
            organisation__representatives__user__email="member@example.org"
        ).count()
        == 1
    )


def test_the_board_answers_with_the_demo(client):
    _load()
    response = client.get("/opportunities/")
    assert response.status_code == 200
