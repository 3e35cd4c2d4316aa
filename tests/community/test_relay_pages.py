"""The relay's pages and the editors' side: who sees a conversation (the permission
matrix), the fragments on the profile, the opportunity and the dashboard, reports and
their admin listing, query counts, and the member's data."""

import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cobioe_cms.community.models import Conversation, RelayMessage, RelayReport, SenderBlock
from cobioe_cms.members import personal_data
from tests.factories import MemberFactory, RepresentativeFactory

from . import relay_support as support
from .relay_support import contact, url

pytestmark = pytest.mark.django_db

# The shared fixtures (relay_support.py) that the tests below use.
board = support.board
opportunity = support.opportunity
organisation = support.organisation
remi = support.remi
rosa = support.rosa
sender = support.sender
sender_org = support.sender_org
stranger = support.stranger


@pytest.fixture
def conversation(client, organisation, stranger):
    contact(client, stranger, organisation)
    client.logout()
    mail.outbox.clear()
    return Conversation.objects.get()


# -- permission matrix --------------------------------------------------------------------


def test_only_the_two_sides_read_a_conversation(
    client, conversation, stranger, rosa, remi, sender, editor
):
    path = url("relay_conversation", conversation.pk)
    assert client.get(path).status_code == 302  # anonymous: sign in
    for user, status in (
        (stranger, 200),  # its sender
        (rosa, 200),  # representatives of the organisation contacted
        (remi, 200),
        (sender, 404),  # a representative of another organisation
        (editor, 404),  # editors read reported ones in the admin only
    ):
        client.force_login(user)
        assert client.get(path).status_code == status, user
        assert client.get(url("relay_report", conversation.pk)).status_code == (
            200 if user in (rosa, remi) else 404
        ), user
        before = RelayMessage.objects.count()
        response = client.post(path, {"body": "forged"})
        assert response.status_code == (302 if status == 200 else 404), user
        assert RelayMessage.objects.count() == before + (1 if status == 200 else 0)
    client.force_login(sender)
    assert "Fill and finish" not in client.get(url("relay_inbox")).content.decode()


def test_a_former_representative_loses_the_conversation(client, conversation, rosa):
    client.force_login(rosa)
    assert client.get(url("relay_conversation", conversation.pk)).status_code == 200
    conversation.organisation.representatives.filter(user=rosa).delete()
    assert client.get(url("relay_conversation", conversation.pk)).status_code == 404
    assert "Fill and finish" not in client.get(url("relay_inbox")).content.decode()


def test_an_oversized_answer_is_explained(client, conversation, rosa):
    client.force_login(rosa)
    response = client.post(url("relay_conversation", conversation.pk), {"body": "z" * 5001})
    assert response.status_code == 400 and "at most 5000 characters" in response.content.decode()
    assert RelayMessage.objects.count() == 1 and not mail.outbox


# -- fragments ------------------------------------------------------------------------------


def test_contact_fragment_on_the_profile(client, organisation, stranger, rosa):
    text = client.get(organisation.url).content.decode()
    assert "Sign in to contact this organisation" in text
    client.force_login(stranger)
    text = client.get(organisation.url).content.decode()
    assert url("relay_contact", organisation.pk) in text
    client.force_login(rosa)  # their own organisation: nothing
    assert (
        url("relay_contact", organisation.pk) not in client.get(organisation.url).content.decode()
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=stranger).update(verified=False)
    client.force_login(stranger)
    assert "Verify your e-mail address to contact" in client.get(organisation.url).content.decode()


def test_express_interest_fragment(client, opportunity, stranger, rosa):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    def render(user):
        request = RequestFactory().get("/")
        request.user = user
        return render_to_string(
            "cobioe_community/opportunities/includes/express_interest.html",
            {"page": opportunity, "request": request},
        )

    from django.contrib.auth.models import AnonymousUser

    assert "Sign in to express interest" in render(AnonymousUser())
    assert url("relay_interest", opportunity.pk) in render(stranger)
    assert render(rosa).strip() == ""
    opportunity.status = "closed"
    assert render(stranger).strip() == ""


def test_dashboard_lists_the_latest_conversations(client, conversation, stranger, rosa):
    for user in (stranger, rosa):
        client.force_login(user)
        text = client.get(reverse("members:dashboard")).content.decode()
        assert "Fill and finish for AAV" in text and url("relay_inbox") in text


# -- reports and the admin -------------------------------------------------------------------


def test_a_representative_reports_and_an_editor_resolves(client, conversation, rosa, editor):
    client.force_login(rosa)
    response = client.post(url("relay_report", conversation.pk), {"reason": "Spam, again."})
    assert response.status_code == 302
    report = RelayReport.objects.get()
    assert (report.reporter, report.reason, report.resolved_at) == (rosa, "Spam, again.", None)
    [notice] = mail.outbox
    assert notice.to == ["edith@cobioe.eu"]
    assert "Lyon Vectors" in notice.subject and "Spam, again." in notice.body
    again = client.post(url("relay_report", conversation.pk), {"reason": "x"})
    assert again.status_code == 400 and RelayReport.objects.count() == 1

    # The admin: listing and detail for editors, not for representatives.
    for path in (
        reverse("community_relay_admin:list"),
        reverse("community_relay_admin:report", args=[report.pk]),
    ):
        assert client.get(path).status_code in (302, 403), path
    client.force_login(editor)
    listing = client.get(reverse("community_relay_admin:list")).content.decode()
    assert "Fill and finish for AAV" in listing and "Spam, again." in listing
    detail = client.get(reverse("community_relay_admin:report", args=[report.pk]))
    assert "Can you take a batch in March?" in detail.content.decode()
    assert client.get(reverse("community_relay_admin:report", args=[10**30])).status_code == 404
    client.post(reverse("community_relay_admin:resolve", args=[report.pk]))
    report.refresh_from_db()
    assert report.resolved_by == editor and report.resolved_at
    assert (
        "Fill and finish" not in client.get(reverse("community_relay_admin:list")).content.decode()
    )
    assert (
        "Fill and finish"
        in client.get(reverse("community_relay_admin:list") + "?state=resolved").content.decode()
    )


def test_the_sender_cannot_report(client, conversation, stranger):
    client.force_login(stranger)
    assert client.post(url("relay_report", conversation.pk), {"reason": "x"}).status_code == 404
    assert not RelayReport.objects.exists()


# -- query counts ------------------------------------------------------------------------------


def _count(client, path) -> int:
    client.get(path)  # warm the per-process caches (content types, sites)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_inbox_and_conversation_cost_the_same_whatever_their_size(
    client, cartography, organisation, stranger, rosa
):
    contact(client, stranger, organisation)
    conversation = Conversation.objects.get()
    client.force_login(rosa)
    client.post(url("relay_conversation", conversation.pk), {"body": "One answer"})
    client.force_login(stranger)
    inbox_small = _count(client, url("relay_inbox"))
    thread_small = _count(client, url("relay_conversation", conversation.pk))

    from tests.factories import ActorPageFactory

    for n in range(4):
        actor = ActorPageFactory(parent=cartography, title=f"More {n}")
        RepresentativeFactory(
            user=MemberFactory(username=f"m{n}", email=f"m{n}@more.eu"), actor=actor
        )
        contact(client, stranger, actor, subject=f"Subject {n}")
    for n in range(6):
        RelayMessage.objects.create(
            conversation=conversation, author=rosa, from_organisation=bool(n % 2), body=f"b{n}"
        )
    client.force_login(stranger)
    assert _count(client, url("relay_inbox")) == inbox_small
    assert _count(client, url("relay_conversation", conversation.pk)) == thread_small
    assert inbox_small <= 12 and thread_small <= 14, (inbox_small, thread_small)


# -- personal data --------------------------------------------------------------------------


def test_export_and_erasure(client, conversation, stranger, rosa, organisation):
    client.force_login(rosa)
    client.post(url("relay_conversation", conversation.pk), {"body": "Rosa's answer"})
    client.post(url("relay_block", conversation.pk))
    client.post(url("relay_report", conversation.pk), {"reason": "Rosa's reason"})

    exported = json.dumps(personal_data.export_all(stranger))
    assert "Can you take a batch in March?" in exported and "Rosa's answer" not in exported
    exported = personal_data.export_all(rosa)["community"]["contact_relay"]
    assert exported["messages_sent"][0]["text"] == "Rosa's answer"
    assert exported["conversations_reported"][0]["reason"] == "Rosa's reason"

    # Rosa leaves: her answer stays for her colleagues, without its text or author.
    personal_data.erase_all(rosa)
    answer = RelayMessage.objects.get(from_organisation=True)
    assert (answer.author, answer.body) == (None, "")
    report = RelayReport.objects.get()
    assert (report.reporter, report.reason) == (None, "")
    assert SenderBlock.objects.get().blocked_by is None

    # The sender leaves: their conversations go.
    personal_data.erase_all(stranger)
    assert not Conversation.objects.exists() and not SenderBlock.objects.exists()


def test_no_personal_data_warning_for_the_relay_models():
    relay = {"Conversation", "RelayMessage", "SenderBlock", "RelayReport"}
    assert not [ref for ref in personal_data.uncovered() if ref.split(".")[1] in relay]


def test_opportunities_posted_are_exported_and_the_poster_forgotten(opportunity, rosa):
    opportunity.posted_by = rosa
    opportunity.save(update_fields=["posted_by"])
    exported = personal_data.export_all(rosa)["community"]["opportunities_posted"]
    assert exported == [
        {
            "title": "GMP fill & finish for viral vectors",
            "organisation": "Lyon Vectors",
            "expires_on": opportunity.expires_on.isoformat(),
        }
    ]
    personal_data.erase_all(rosa)
    opportunity.refresh_from_db()
    assert opportunity.posted_by is None and opportunity.live
