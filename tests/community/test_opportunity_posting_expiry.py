"""Expiry: the reminder before an opportunity lapses (once per expiry date, in the
representative's language, with the renewal link), one-click renewal (a confirmation
page and its button), reopening an expired one; and the query counts of the
representative's pages."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Revision

from cobioe_cms.community import opportunities as rules
from cobioe_cms.community.models import OpportunityPage
from tests.factories import GroupMembershipFactory, RepresentativeFactory, WorkingGroupPageFactory

from . import opportunity_support as support
from .opportunity_support import editor_decides, form, post_opportunity, published, url

# Fixtures
board, lyon, berlin, rep = support.board, support.lyon, support.berlin, support.rep
other_rep = support.other_rep

pytestmark = pytest.mark.django_db


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


def chosen(page, expires_on, days_ago: int):
    """As if the representative had chosen ``expires_on`` ``days_ago`` days ago."""
    OpportunityPage.objects.filter(pk=page.pk).update(expires_on=expires_on)
    revisions = Revision.objects.filter(object_id=str(page.pk))
    for revision in revisions:
        revision.content["expires_on"] = expires_on.isoformat()
        revision.created_at = timezone.now() - timedelta(days=days_ago)
        revision.save()
    return OpportunityPage.objects.get(pk=page.pk)


@pytest.fixture
def offer(client, board, rep, lyon, editor):
    """Published today, for 60 days."""
    return published(client, rep, editor, lyon, expires_on=days(60).isoformat())


# -- renewal -----------------------------------------------------------------------------


def test_renewal_page_confirms_and_its_button_renews_for_the_same_duration(client, offer, rep):
    offer = chosen(offer, days(5), days_ago=55)  # chosen for 60 days, 5 left
    client.force_login(rep)
    response = client.get(url("renew_opportunity", offer.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'method="post"' in body and "Renew it" in body
    assert OpportunityPage.objects.get(pk=offer.pk).expires_on == days(5)  # a GET changes nothing

    response = client.post(url("renew_opportunity", offer.pk))
    assert response.status_code == 302
    page = OpportunityPage.objects.get(pk=offer.pk)
    assert page.expires_on == days(60)
    assert page.status == "open" and page.reminded_at is None
    # The live revision says so too: a later approval will not bring the old date back.
    assert page.live_revision.content["expires_on"] == days(60).isoformat()


def test_renewal_is_capped_at_six_months(client, offer, rep):
    offer = chosen(offer, days(10), days_ago=300)
    client.force_login(rep)
    client.post(url("renew_opportunity", offer.pk))
    assert OpportunityPage.objects.get(pk=offer.pk).expires_on == days(183)


def test_reopening_an_expired_one_renews_it(client, offer, rep):
    offer = chosen(offer, days(-3), days_ago=33)  # 30 days, lapsed 3 days ago
    client.force_login(rep)
    assert "<td>expired</td>" in client.get(url("my_opportunities")).content.decode()
    assert not OpportunityPage.objects.current().filter(pk=offer.pk).exists()
    client.post(url("reopen_opportunity", offer.pk))
    page = OpportunityPage.objects.get(pk=offer.pk)
    assert page.expires_on == days(30)
    assert OpportunityPage.objects.current().filter(pk=page.pk).exists()


def test_renewal_of_a_draft_is_refused(client, board, rep, lyon):
    client.force_login(rep)
    page = post_opportunity(client, lyon)
    response = client.get(url("renew_opportunity", page.pk))
    assert "Only a published opportunity can be renewed." in response.content.decode()
    response = client.post(url("renew_opportunity", page.pk), follow=True)
    assert "Only a published opportunity can be renewed." in response.content.decode()
    assert OpportunityPage.objects.get(pk=page.pk).expires_on == days(60)


def test_renewal_while_an_edit_is_in_review_survives_the_approval(client, offer, rep, lyon, editor):
    offer = chosen(offer, days(5), days_ago=55)
    client.force_login(rep)
    client.post(
        url("edit_opportunity", offer.pk),
        {**form(lyon, title="Edited offer", expires_on=days(5).isoformat()), "submit": "1"},
    )
    client.post(url("renew_opportunity", offer.pk))
    page = editor_decides(client, editor, OpportunityPage.objects.get(pk=offer.pk))
    assert page.title == "Edited offer"
    assert page.expires_on == days(60)


# -- reminders ---------------------------------------------------------------------------


def test_reminder_goes_once_per_expiry_date_with_the_renewal_link(
    client, offer, rep, lyon, other_rep
):
    colleague = RepresentativeFactory(
        actor=lyon, user__username="cole", user__email="cole@lyonbio.eu"
    ).user
    offer = chosen(offer, days(rules.REMINDER_DAYS), days_ago=30)
    mail.outbox.clear()
    call_command("send_opportunity_reminders", stdout=StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == ["cole@lyonbio.eu", "rita@lyonbio.eu"]
    message = mail.outbox[0]
    assert "expires on" in message.subject and offer.title in message.subject
    assert f"http://testserver{url('renew_opportunity', offer.pk)}" in message.body or (
        url("renew_opportunity", offer.pk) in message.body
    )
    assert "bernd" not in " ".join(m.to[0] for m in mail.outbox)
    assert OpportunityPage.objects.get(pk=offer.pk).reminded_at is not None

    mail.outbox.clear()
    call_command("send_opportunity_reminders", stdout=StringIO())
    assert mail.outbox == []
    assert colleague.email == "cole@lyonbio.eu"


def test_a_renewed_opportunity_is_reminded_again_for_its_new_date(client, offer, rep):
    offer = chosen(offer, days(3), days_ago=10)  # chosen for 13 days
    assert rules.send_reminders() == (1, 1)
    client.force_login(rep)
    client.post(url("renew_opportunity", offer.pk))
    page = OpportunityPage.objects.get(pk=offer.pk)
    assert page.expires_on == days(13) and page.reminded_at is None
    mail.outbox.clear()
    assert rules.send_reminders() == (1, 1)
    assert rules.send_reminders() == (0, 0)


def test_an_approval_does_not_undo_the_reminder(client, offer, rep, lyon, editor):
    offer = chosen(offer, days(7), days_ago=30)
    assert rules.send_reminders() == (1, 1)
    client.force_login(rep)
    client.post(
        url("edit_opportunity", offer.pk),
        {**form(lyon, title="Edited offer", expires_on=days(7).isoformat()), "submit": "1"},
    )
    editor_decides(client, editor, OpportunityPage.objects.get(pk=offer.pk))
    assert OpportunityPage.objects.get(pk=offer.pk).title == "Edited offer"
    assert rules.send_reminders() == (0, 0)


def test_no_reminder_for_closed_draft_far_or_lapsed_ones(client, offer, rep, lyon):
    chosen(offer, days(20), days_ago=30)
    assert rules.send_reminders() == (0, 0)  # not yet
    chosen(offer, days(-1), days_ago=30)
    assert rules.send_reminders() == (0, 0)  # lapsed
    chosen(offer, days(3), days_ago=30)
    client.force_login(rep)
    client.post(url("close_opportunity", offer.pk))
    assert rules.send_reminders() == (0, 0)  # closed
    draft = post_opportunity(client, lyon, expires_on=days(3).isoformat())
    assert not draft.live
    assert rules.send_reminders() == (0, 0)


def test_the_reminder_is_in_the_representatives_language(client, offer, rep, groups_index):
    group = WorkingGroupPageFactory(parent=groups_index, title="Vecteurs")
    GroupMembershipFactory(group=group, user=rep, language="fr")
    chosen(offer, days(4), days_ago=30)
    assert rules.send_reminders() == (1, 1)
    (message,) = mail.outbox[-1:]
    assert f"/fr{url('renew_opportunity', offer.pk)}" in message.body


# -- query counts ------------------------------------------------------------------------


def count(client, path):
    client.get(path)  # the caches (content types, site) warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_list(client, board, rep, lyon, editor):
    client.force_login(rep)
    for n in range(2):
        post_opportunity(client, lyon, title=f"Offer number {n}")
    small = {path: count(client, path) for path in ("/members/", url("my_opportunities"))}
    first = published(client, rep, editor, lyon, title="Published offer")
    client.post(url("close_opportunity", first.pk))
    for n in range(2, 8):
        post_opportunity(client, lyon, title=f"Offer number {n}", submit=n % 2 == 0)
    client.force_login(rep)
    large = {path: count(client, path) for path in ("/members/", url("my_opportunities"))}
    assert large == small, (small, large)
    assert small[url("my_opportunities")] <= 12, small


def test_query_count_of_the_form(client, board, rep, lyon):
    client.force_login(rep)
    new = count(client, url("new_opportunity"))
    page = post_opportunity(client, lyon)
    edit = count(client, url("edit_opportunity", page.pk))
    # Measured: 18 and 33 (the session, the taxonomies' choices, the draft's
    # revision and its terms, the workflow state, the header).
    assert new <= 18, new
    assert edit <= 33, edit
