"""Who may post, edit, close, reopen and renew an opportunity: only its organisation's
representatives. Everyone else gets the login page, a 404 or a clear refusal, and
nothing changes. Then bad input: a clear message, nothing saved, never a 500."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cobioe_cms.community.models import OpportunityPage
from tests.factories import ActorPageFactory, RepresentativeFactory

from . import opportunity_support as support
from .opportunity_support import form, post_opportunity, published, url

# Fixtures
board, lyon, berlin, rep = support.board, support.lyon, support.berlin, support.rep
other_rep, plain_member = support.other_rep, support.plain_member

pytestmark = pytest.mark.django_db

ACTIONS = ["submit_opportunity", "withdraw_opportunity", "close_opportunity", "reopen_opportunity"]


def snapshot(page):
    page = OpportunityPage.objects.get(pk=page.pk)
    return (
        page.title,
        page.live,
        page.status,
        page.expires_on,
        page.revisions.count(),
        page.current_workflow_state is not None,
    )


@pytest.fixture
def lyon_offer(client, board, rep, lyon, editor):
    page = published(client, rep, editor, lyon)
    client.logout()
    return page


def test_anonymous_is_sent_to_the_login_page(client, lyon_offer, lyon):
    before = snapshot(lyon_offer)
    for name in ("my_opportunities", "new_opportunity"):
        response = client.get(url(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for name in ["edit_opportunity", "renew_opportunity", *ACTIONS]:
        response = client.post(url(name, lyon_offer.pk), form(lyon))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(url("new_opportunity"), form(lyon))
    assert response.status_code == 302
    assert snapshot(lyon_offer) == before
    assert OpportunityPage.objects.count() == 1


@pytest.mark.parametrize("who", ["plain_member", "other_rep", "editor"])
def test_others_get_a_404_on_someone_elses_opportunity(client, request, who, lyon_offer, lyon):
    user = request.getfixturevalue(who)
    client.force_login(user)
    before = snapshot(lyon_offer)
    for name in ("edit_opportunity", "renew_opportunity"):
        assert client.get(url(name, lyon_offer.pk)).status_code == 404
    for name in ["edit_opportunity", "renew_opportunity", *ACTIONS]:
        assert client.post(url(name, lyon_offer.pk), form(lyon)).status_code == 404
    assert snapshot(lyon_offer) == before
    assert lyon_offer.title not in client.get(url("my_opportunities")).content.decode()


@pytest.mark.parametrize("who", ["plain_member", "editor"])
def test_someone_representing_no_organisation_is_told_why_they_cannot_post(
    client, request, who, board, lyon
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url("new_opportunity"))
    assert response.status_code == 200
    assert "once you represent a published one" in response.content.decode()
    response = client.post(url("new_opportunity"), form(lyon))
    assert response.status_code == 400
    assert "You represent no published organisation" in response.content.decode()
    assert not OpportunityPage.objects.exists()


def test_a_forged_organisation_id_is_refused(client, board, other_rep, lyon, berlin):
    client.force_login(other_rep)
    for forged in (str(lyon.pk), "0", "-1", "abc", "9" * 30, ""):
        response = client.post(url("new_opportunity"), form(lyon, organisation=forged))
        assert response.status_code == 400, forged
        assert "Select a valid choice" in response.content.decode() or (
            "This field is required" in response.content.decode()
        )
    assert not OpportunityPage.objects.exists()
    # Preselecting another organisation by the address does nothing either.
    response = client.get(url("new_opportunity") + f"?organisation={lyon.pk}")
    assert response.status_code == 200
    assert f'value="{lyon.pk}"' not in response.content.decode()
    assert client.get(url("new_opportunity") + "?organisation=" + "9" * 40).status_code == 200


def test_the_organisation_of_an_opportunity_cannot_be_changed(
    client, board, rep, lyon, berlin, other_rep
):
    RepresentativeFactory(user=rep, actor=berlin)  # rep represents both
    client.force_login(rep)
    page = post_opportunity(client, lyon)
    response = client.post(url("edit_opportunity", page.pk), form(berlin))
    assert response.status_code == 302
    assert OpportunityPage.objects.get(
        pk=page.pk
    ).get_latest_revision_as_object().organisation_id == (lyon.pk)


def test_a_draft_organisation_is_not_offered(client, board, rep, cartography):
    draft = ActorPageFactory(parent=cartography, title="Draft Bio", live=False)
    RepresentativeFactory(user=rep, actor=draft)
    client.force_login(rep)
    response = client.post(url("new_opportunity"), form(draft))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert "Draft Bio" not in client.get(url("new_opportunity")).content.decode()


def test_changes_need_post_and_csrf(lyon_offer, rep):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(rep)
    before = snapshot(lyon_offer)
    for name in ACTIONS:
        assert csrf_client.get(url(name, lyon_offer.pk)).status_code == 405
        assert csrf_client.post(url(name, lyon_offer.pk)).status_code == 403
    assert csrf_client.post(url("renew_opportunity", lyon_offer.pk)).status_code == 403
    assert snapshot(lyon_offer) == before


def test_ids_no_table_holds_are_404(client, rep, board):
    client.force_login(rep)
    for pk in (2**31, 10**17):
        assert client.get(url("edit_opportunity", pk)).status_code == 404
        assert client.post(url("close_opportunity", pk)).status_code == 404
    assert client.get("/community/opportunities/" + "9" * 30 + "/edit/").status_code == 404


def test_a_second_representative_of_the_organisation_may_act(client, lyon_offer, lyon):
    colleague = support.seasoned(
        RepresentativeFactory(actor=lyon, user__username="cole", user__email="cole@lyonbio.eu").user
    )
    client.force_login(colleague)
    assert client.get(url("edit_opportunity", lyon_offer.pk)).status_code == 200
    assert client.post(url("close_opportunity", lyon_offer.pk)).status_code == 302
    assert OpportunityPage.objects.get(pk=lyon_offer.pk).status == "closed"


# -- bad input ---------------------------------------------------------------------------


def refused(client, data, message, status=400):
    response = client.post(url("new_opportunity"), data)
    assert response.status_code == status
    body = response.content.decode()
    assert message in body, body[:3000]
    assert "nothing was saved" in body
    assert not OpportunityPage.objects.exists()
    return body


@pytest.fixture
def rep_client(client, board, rep):
    client.force_login(rep)
    return client


def test_expiry_in_the_past_or_beyond_six_months(rep_client, lyon):
    today = timezone.localdate()
    refused(
        rep_client,
        form(lyon, expires_on=(today - timedelta(days=1)).isoformat()),
        "The expiry date is in the past.",
    )
    refused(
        rep_client,
        form(lyon, expires_on=(today + timedelta(days=184)).isoformat()),
        "An opportunity is posted for at most six months",
    )
    refused(rep_client, form(lyon, expires_on="2026-13-45"), "Enter a valid date.")
    refused(rep_client, form(lyon, expires_on="9" * 200), "Enter a valid date.")
    # The last day allowed is accepted.
    post_opportunity(rep_client, lyon, expires_on=(today + timedelta(days=183)).isoformat())


def test_oversized_description_and_title(rep_client, lyon):
    refused(rep_client, form(lyon, description="x" * 5001), "at most 5000 characters")
    refused(rep_client, form(lyon, title="x" * 151), "at most 150 characters")
    refused(rep_client, form(lyon, description=""), "This field is required.")


def test_line_breaks_in_the_title_are_refused(rep_client, lyon):
    for title in (
        "Fill and finish\r\nBcc: victim@example.org",
        "Line\nbreak",
        "Separator\u2028here",
    ):
        refused(rep_client, form(lyon, title=title), "The title must be one line")


def test_unknown_terms_countries_and_choices(rep_client, lyon):
    refused(rep_client, form(lyon, stages=["production", "teleportation"]), "Select a valid choice")
    refused(rep_client, form(lyon, modalities=["x" * 300]), "Select a valid choice")
    refused(rep_client, form(lyon, gmp_status="gmp-ish"), "Select a valid choice")
    refused(rep_client, form(lyon, countries=["XX"]), "Select a valid choice")
    refused(rep_client, form(lyon, countries=["US"]), "Select a valid choice")  # Europe only
    refused(rep_client, form(lyon, kind="teleportation"), "Select a valid choice")
    refused(rep_client, form(lyon, direction="both"), "Select a valid choice")


def test_forged_fields_are_ignored(rep_client, lyon, rep, plain_member):
    page = post_opportunity(
        rep_client,
        lyon,
        status="closed",
        live="1",
        posted_by=str(plain_member.pk),
        reminded_at="2020-01-01T00:00",
        is_demo="1",
        slug="admin",
    )
    assert not page.live and page.status == "open" and not page.is_demo
    assert page.posted_by_id == rep.pk and page.reminded_at is None
    assert page.slug != "admin"


def test_same_titles_get_distinct_addresses(rep_client, lyon):
    first = post_opportunity(rep_client, lyon)
    second = post_opportunity(rep_client, lyon)
    assert first.slug != second.slug
