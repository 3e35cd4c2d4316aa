"""Collaboration in a real browser (issue 13): a representative posts a request, an editor
approves it in the Wagtail admin, another member finds it on the board, expresses
interest, and the first sees the message in their messages; no representative's address
reaches the sender's pages. axe-core finds no WCAG 2.1 A/AA violation on the board (with
and without filters), an opportunity page (visitor and member), the posting form, the
member's opportunities, the contact form, the messages and a conversation, and the
partners page, in English and French."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from cobioe_cms.community.models import OpportunityBoardPage, OpportunityPage
from cobioe_cms.core.models import PortalHomePage
from tests.factories import ActorPageFactory, MemberFactory, RepresentativeFactory

from .test_accessibility import assert_no_violations, open_page, share_session

# The live server needs transactional tests: see ``site_snapshot`` in conftest.py.
pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = pytest.mark.parametrize("prefix", ["", "/fr"])
REP_EMAIL = "rita@lyonbio.eu"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def partnering(restored_site):
    """The board under the home page; Rita represents Lyon Biologics (a CDMO making
    viral vectors), Bernd represents Berlin Vectors; Marie, a verified member, represents
    nobody; Edith is an editor. One opportunity of Berlin Vectors is on the board."""
    from cobioe_cms.actors.models import CartographyPage

    home = PortalHomePage.objects.get()
    board = OpportunityBoardPage(title="Opportunities", slug="opportunities")
    home.add_child(instance=board)
    board.save_revision().publish()
    cartography = CartographyPage.objects.first()
    joined = timezone.now() - datetime.timedelta(days=30)
    lyon = ActorPageFactory(
        parent=cartography,
        title="Lyon Biologics",
        country="FR",
        city="Lyon",
        stages=["production", "fill-finish"],
        modalities=["gene-therapies-viral-vectors"],
        gmp_status="gmp-certified",
    )
    berlin = ActorPageFactory(
        parent=cartography,
        title="Berlin Vectors",
        country="DE",
        city="Berlin",
        stages=["research-development"],
        modalities=["gene-therapies-viral-vectors"],
    )
    rita = MemberFactory(username="rita", email=REP_EMAIL, full_name="Rita Rep", date_joined=joined)
    RepresentativeFactory(user=rita, actor=lyon)
    bernd = MemberFactory(
        username="bernd", email="bernd@berlin-vectors.de", full_name="Bernd B", date_joined=joined
    )
    RepresentativeFactory(user=bernd, actor=berlin)
    marie = MemberFactory(
        username="marie", email="marie@example.org", full_name="Marie Member", date_joined=joined
    )
    editor = MemberFactory(username="edith", email="edith@cobioe.eu", groups=["Editors"])
    offer = OpportunityPage(
        title="Pilot bioreactors to share",
        slug="pilot-bioreactors",
        organisation=berlin,
        direction="offer",
        kind="equipment",
        description="Two 200 L single-use bioreactors, part-time.",
        expires_on=timezone.localdate() + datetime.timedelta(days=60),
    )
    board.add_child(instance=offer)
    offer.save_revision().publish()
    return {
        "board": board,
        "lyon": lyon,
        "berlin": berlin,
        "rita": rita,
        "bernd": bernd,
        "marie": marie,
        "editor": editor,
        "offer": offer,
    }


def _in_context(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    share_session(page, live_server, _client(user))
    return context, page


def test_post_approve_find_and_express_interest(browser, page, live_server, partnering):
    from playwright.sync_api import expect

    # Rita posts a request for Lyon Biologics and submits it for review.
    share_session(page, live_server, _client(partnering["rita"]))
    open_page(page, "/community/opportunities/new/")
    page.get_by_label("Title").fill("Fill & finish slots for AAV vectors needed")
    page.get_by_role("radio", name="request").check()
    page.get_by_label("Kind").select_option("capacity")
    page.get_by_label("Description").fill("We need 3 GMP fill & finish runs in 2027.")
    page.get_by_role("checkbox", name="Gene therapies & viral vectors").check()
    page.get_by_role("button", name="Save and submit for review").click()
    expect(page.get_by_text("in review").first).to_be_visible()
    opportunity = OpportunityPage.objects.get(title="Fill & finish slots for AAV vectors needed")
    assert not opportunity.live

    # Edith approves it in the Wagtail admin, from her dashboard.
    context, editor = _in_context(browser, live_server, partnering["editor"])
    try:
        open_admin = editor.goto("/admin/")
        assert open_admin.status == 200
        row = editor.get_by_role("row").filter(
            has_text="Fill & finish slots for AAV vectors needed"
        )
        row.get_by_role("button", name="Actions").click()
        row.get_by_role("button", name="Approve", exact=True).click()
        for _attempt in range(50):  # the admin posts the action, then reloads
            opportunity.refresh_from_db()
            if opportunity.live:
                break
            editor.wait_for_timeout(200)
    finally:
        context.close()
    opportunity.refresh_from_db()
    assert opportunity.live, "the editor's approval publishes the opportunity"

    # Marie finds it on the board, filtered on requests, and expresses interest.
    mail.outbox.clear()
    context, marie = _in_context(browser, live_server, partnering["marie"])
    try:
        open_page(marie, "/opportunities/?direction=request")
        marie.get_by_role("link", name="Fill & finish slots for AAV vectors needed").click()
        marie.get_by_role("link", name="Express interest").click()
        marie.get_by_label("Message").fill("We have free isolator slots in Q2.")
        marie.get_by_role("button", name="Send my message").click()
        expect(marie.get_by_text("We have free isolator slots in Q2.")).to_be_visible()
        assert REP_EMAIL not in marie.content(), "the sender never sees a representative's address"
    finally:
        context.close()
    relayed = [m for m in mail.outbox if REP_EMAIL in m.to]
    assert len(relayed) == 1 and relayed[0].reply_to == ["marie@example.org"]

    # Rita sees the message in her messages.
    open_page(page, "/community/messages/")
    page.get_by_role("link", name=re.compile("Fill & finish slots")).first.click()
    expect(page.get_by_text("We have free isolator slots in Q2.")).to_be_visible()
    expect(page.get_by_text("Marie Member").first).to_be_visible()
    assert_no_violations(page)


@LANGUAGES
@pytest.mark.parametrize("query", ["", "?direction=offer&kind=equipment&q=bioreactor"])
def test_board_passes_axe(page, partnering, prefix, query):
    open_page(page, f"{prefix}/opportunities/{query}")
    assert page.get_by_role("link", name="Pilot bioreactors to share").count() == 1
    assert_no_violations(page)


@LANGUAGES
def test_opportunity_page_passes_axe(page, live_server, partnering, prefix):
    path = f"{prefix}{partnering['offer'].url}"
    open_page(page, path)
    assert_no_violations(page)
    share_session(page, live_server, _client(partnering["marie"]))
    open_page(page, path)
    assert_no_violations(page)


@LANGUAGES
@pytest.mark.parametrize(
    "who, path",
    [
        ("rita", "/community/opportunities/new/"),
        ("rita", "/community/opportunities/mine/"),
        ("marie", "/community/messages/new/opportunity/{offer}/"),
        ("marie", "/community/messages/new/organisation/{lyon}/"),
        ("marie", "/community/messages/"),
        ("rita", "/community/organisations/{lyon}/partners/"),
    ],
)
def test_member_pages_pass_axe(page, live_server, partnering, prefix, who, path):
    share_session(page, live_server, _client(partnering[who]))
    ids = {"offer": partnering["offer"].pk, "lyon": partnering["lyon"].pk}
    open_page(page, prefix + path.format(**ids))
    assert_no_violations(page)


@LANGUAGES
def test_conversation_passes_axe(page, live_server, partnering, prefix):
    from cobioe_cms.community import relay

    conversation = relay.start_conversation(
        sender=partnering["marie"],
        organisation=partnering["berlin"],
        subject="About your bioreactors",
        body="Could we book one in March?",
        opportunity=partnering["offer"],
    )
    for who in ("marie", "bernd"):
        share_session(page, live_server, _client(partnering[who]))
        open_page(page, f"{prefix}/community/messages/{conversation.pk}/")
        assert page.get_by_text("Could we book one in March?").count() == 1
        assert_no_violations(page)
