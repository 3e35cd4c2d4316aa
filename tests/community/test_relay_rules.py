"""The relay's limits and refusals: verified senders only, limits across workers,
blocks, organisations nobody represents, header injection, bad input: never a 500,
never an e-mail that should not go."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings

from cobioe_cms.community.models import Conversation, RelayMessage, SenderBlock
from tests.factories import ActorPageFactory, MemberFactory, RepresentativeFactory

from . import relay_support as support
from .relay_support import SECRET_ADDRESSES, contact, make_opportunity, outbox_to, url

pytestmark = pytest.mark.django_db

# The shared fixtures (relay_support.py) that the tests below use.
board = support.board
opportunity = support.opportunity
organisation = support.organisation
rosa = support.rosa
sender = support.sender
sender_org = support.sender_org
stranger = support.stranger
unrepresented = support.unrepresented


# -- who may write ----------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_sign_in(client, organisation):
    response = client.get(url("relay_contact", organisation.pk))
    assert response.status_code == 302 and "/login/" in response["Location"]
    response = client.post(url("relay_contact", organisation.pk), {"subject": "x", "body": "y"})
    assert response.status_code == 302 and not Conversation.objects.exists()


def test_an_unverified_member_cannot_send(client, organisation, stranger):
    EmailAddress.objects.filter(user=stranger).update(verified=False)
    response = contact(client, stranger, organisation)
    assert response.status_code in (200, 302)  # allauth's "verify your address" page
    assert not Conversation.objects.exists() and not outbox_to(SECRET_ADDRESSES[0])


def test_a_member_whose_own_address_is_not_the_verified_one_cannot_send(
    client, organisation, stranger
):
    EmailAddress.objects.create(user=stranger, email="sid@other.eu", verified=True)
    EmailAddress.objects.filter(user=stranger, email="sid@elsewhere.eu").update(verified=False)
    response = contact(client, stranger, organisation)
    assert response.status_code == 400
    assert "Verify your e-mail address" in response.content.decode()
    assert not Conversation.objects.exists() and not mail.outbox


def test_a_representative_does_not_write_to_their_own_organisation(client, organisation, rosa):
    response = contact(client, rosa, organisation)
    assert response.status_code == 400
    assert "You represent this organisation" in response.content.decode()
    assert not Conversation.objects.exists() and not mail.outbox


def test_on_behalf_of_an_organisation_one_does_not_represent_is_refused(
    client, cartography, organisation, sender, stranger, sender_org
):
    other = ActorPageFactory(parent=cartography, title="Not Sam's")
    for forged in (str(other.pk), str(organisation.pk), "9" * 30, "abc", "-1"):
        response = contact(client, sender, organisation, on_behalf_of=forged)
        assert response.status_code == 400, forged
        assert "Select a valid choice" in response.content.decode()
    assert not Conversation.objects.exists() and not mail.outbox
    # Sid represents nothing: the field is not offered, a forged value is ignored.
    client.force_login(stranger)
    assert "on_behalf_of" not in client.get(url("relay_contact", organisation.pk)).content.decode()
    assert (
        contact(client, stranger, organisation, on_behalf_of=str(sender_org.pk)).status_code == 302
    )
    assert Conversation.objects.get().sender_organisation is None


def test_forged_and_unknown_ids_are_404(client, organisation, opportunity, stranger, board):
    client.force_login(stranger)
    for path in (
        url("relay_contact", 2**31),
        url("relay_contact", 10**17),
        url("relay_contact", board.pk),  # a page, not an organisation
        url("relay_interest", organisation.pk),  # an organisation, not an opportunity
        url("relay_interest", 2**40),
        url("relay_conversation", 10**17),
        url("relay_report", 10**17),
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/community/messages/99999999999999999999/").status_code == 404
    assert client.post(url("relay_block", 10**17)).status_code == 404


def test_a_closed_or_expired_opportunity_takes_no_interest(client, board, organisation, stranger):
    closed = make_opportunity(board, organisation, title="Closed", slug="closed", status="closed")
    client.force_login(stranger)
    assert client.get(url("relay_interest", closed.pk)).status_code == 404
    response = client.post(url("relay_interest", closed.pk), {"subject": "x", "body": "y"})
    assert response.status_code == 404 and not Conversation.objects.exists()


def test_oversized_and_empty_input_is_explained(client, organisation, stranger):
    for data, words in (
        ({"subject": "x" * 151}, "at most 150 characters"),
        ({"body": "y" * 5001}, "at most 5000 characters"),
        ({"body": "   "}, "This field is required"),
        ({"subject": ""}, "This field is required"),
    ):
        response = contact(client, stranger, organisation, **data)
        assert response.status_code == 400, data
        assert words in response.content.decode(), data
    assert not Conversation.objects.exists() and not mail.outbox


@override_settings(COBIOE_COMMUNITY_MAX_LINKS=1)
def test_too_many_links_are_refused(client, organisation, stranger):
    response = contact(client, stranger, organisation, body="https://a.eu https://b.eu")
    assert response.status_code == 400 and "at most 1 links" in response.content.decode()
    assert not mail.outbox


# -- header injection -------------------------------------------------------------------


def test_a_subject_with_a_line_break_is_refused(client, organisation, stranger):
    response = contact(client, stranger, organisation, subject="Hi\r\nBcc: x@y.eu")
    assert response.status_code == 400
    assert "one line" in response.content.decode()
    assert not mail.outbox


def test_a_name_with_a_line_break_adds_no_header(client, organisation, stranger):
    stranger.member_profile.full_name = "Sid\r\nBcc: x@y.eu\nX-Evil: 1"
    stranger.member_profile.save()
    response = contact(client, stranger, organisation, subject="Hello\tthere\x0b")
    assert response.status_code == 302
    for email in mail.outbox:
        raw = email.message()
        assert raw["Bcc"] is None and raw["X-Evil"] is None
        assert "x@y.eu" not in email.recipients()
        assert "\n" not in email.subject and "\r" not in email.subject
    [email] = outbox_to(SECRET_ADDRESSES[0])
    assert "Sid Bcc: x@y.eu X-Evil: 1" in email.subject
    assert Conversation.objects.get().subject == "Hello there"


# -- limits -----------------------------------------------------------------------------


@override_settings(COBIOE_COMMUNITY_RELAY_PER_ORGANISATION_PER_DAY=2)
def test_per_sender_and_organisation_limit_across_workers(
    client, organisation, stranger, shared_db_cache
):
    codes = [contact(client, stranger, organisation).status_code for _ in range(3)]
    assert codes == [302, 302, 400]
    assert Conversation.objects.count() == 2
    assert len(outbox_to(SECRET_ADDRESSES[0])) == 2


@override_settings(COBIOE_COMMUNITY_RELAY_CONVERSATIONS_PER_DAY=2)
def test_per_sender_daily_limit(client, cartography, stranger, organisation, shared_db_cache):
    others = []
    for n in range(2):
        actor = ActorPageFactory(parent=cartography, title=f"Other {n}")
        RepresentativeFactory(
            user=MemberFactory(username=f"o{n}", email=f"o{n}@other.eu"), actor=actor
        )
        others.append(actor)
    assert contact(client, stranger, others[0]).status_code == 302
    assert contact(client, stranger, others[1]).status_code == 302
    response = contact(client, stranger, organisation)
    assert response.status_code == 400
    assert "many organisations today" in response.content.decode()
    assert not outbox_to(SECRET_ADDRESSES[0])


@override_settings(COBIOE_COMMUNITY_RELAY_MESSAGES_PER_HOUR=2)
def test_messages_per_hour_limit_on_answers(client, organisation, stranger, shared_db_cache):
    contact(client, stranger, organisation)
    conversation = Conversation.objects.get()
    target = url("relay_conversation", conversation.pk)
    assert client.post(target, {"body": "again"}).status_code == 302
    response = client.post(target, {"body": "and again"})
    assert response.status_code == 400 and "many messages" in response.content.decode()
    assert RelayMessage.objects.count() == 2


# -- blocks -----------------------------------------------------------------------------


def test_a_blocked_sender_is_refused_neutrally_and_nothing_is_sent(
    client, organisation, stranger, rosa
):
    contact(client, stranger, organisation)
    conversation = Conversation.objects.get()
    client.force_login(rosa)
    response = client.post(url("relay_block", conversation.pk))
    assert response.status_code == 302
    block = SenderBlock.objects.get()
    assert (block.sender, block.organisation, block.blocked_by) == (stranger, organisation, rosa)
    page = client.get(url("relay_conversation", conversation.pk)).content.decode()
    assert "Unblock this sender" in page
    mail.outbox.clear()

    client.force_login(stranger)
    answer = client.post(url("relay_conversation", conversation.pk), {"body": "more"})
    assert answer.status_code == 400
    assert "cannot be sent to this organisation" in answer.content.decode()
    again = contact(client, stranger, organisation)
    assert again.status_code == 400
    text = again.content.decode()
    assert "cannot be sent to this organisation" in text and "block" not in text.lower()
    assert not outbox_to(SECRET_ADDRESSES[0]) and not outbox_to(SECRET_ADDRESSES[1])
    assert Conversation.objects.count() == 1

    client.force_login(rosa)
    client.post(url("relay_unblock", conversation.pk))
    assert not SenderBlock.objects.exists()
    assert contact(client, stranger, organisation).status_code == 302


def test_only_representatives_block(client, organisation, stranger, sender):
    contact(client, stranger, organisation)
    conversation = Conversation.objects.get()
    client.force_login(stranger)  # the sender cannot block themselves out
    client.post(url("relay_block", conversation.pk))
    assert not SenderBlock.objects.exists()
    client.force_login(sender)  # an outsider does not even see it
    assert client.post(url("relay_block", conversation.pk)).status_code == 404
    assert client.get(url("relay_block", conversation.pk)).status_code in (404, 405)
    assert not SenderBlock.objects.exists()


# -- organisations nobody represents ----------------------------------------------------


def test_nobody_represents_the_organisation(client, unrepresented, stranger, editor):
    client.force_login(stranger)
    page = client.get(url("relay_contact", unrepresented.pk))
    text = page.content.decode()
    assert page.status_code == 200
    assert "no representative on the platform yet" in text and "<textarea" not in text
    [notice] = mail.outbox
    assert notice.to == ["edith@cobioe.eu"]
    assert "Porto Cells" in notice.subject and "/admin/" in notice.body
    # Once a day per organisation, whoever asks; and nothing to the public address.
    client.get(url("relay_contact", unrepresented.pk))
    response = contact(client, stranger, unrepresented)
    assert response.status_code == 400 and not Conversation.objects.exists()
    assert len(mail.outbox) == 1
    assert not outbox_to("info@porto-cells.pt")
