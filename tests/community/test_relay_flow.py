"""The contact relay from end to end: a verified member writes to an organisation (from
its profile or an opportunity), each representative gets an e-mail of their own, the
sender a copy; both sides see the conversation, answer, and the representatives'
addresses appear nowhere the sender looks."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from cobioe_cms.community.models import Conversation, RelayMessage

from . import relay_support as support
from .relay_support import SECRET_ADDRESSES, contact, leaks, mail_leaks, outbox_to, url

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


def test_contact_an_organisation_relays_one_email_per_representative(
    client, organisation, sender, sender_org
):
    client.force_login(sender)
    page = client.get(url("relay_contact", organisation.pk))
    assert page.status_code == 200
    assert not leaks(page.content.decode())
    response = contact(
        client, sender, organisation, on_behalf_of=str(sender_org.pk), body="Hello\nMarch?"
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("relay_conversation", conversation.pk)
    assert (conversation.sender, conversation.organisation) == (sender, organisation)
    assert conversation.sender_organisation == sender_org
    message = RelayMessage.objects.get()
    assert (message.author, message.from_organisation, message.relayed_to) == (sender, False, 2)

    for address in SECRET_ADDRESSES:
        [email] = outbox_to(address)
        assert email.to == [address] and not email.cc and not email.bcc
        assert email.from_email == settings.DEFAULT_FROM_EMAIL
        assert email.reply_to == ["sam@berlin-biotech.de"]
        assert "Sam Sender (Berlin Biotech, verified): " in email.subject
        assert "Fill and finish for AAV" in email.subject
        assert "verified by the editors" in email.body
        assert "Sam Sender wrote to Lyon Vectors" in email.body
        assert "Their e-mail address is verified." in email.body
        assert "Hello\nMarch?" in email.body
        assert url("relay_conversation", conversation.pk) in email.body
        other = next(a for a in SECRET_ADDRESSES if a != address)
        assert other not in str(email.message())  # one recipient per e-mail
    [copy] = outbox_to("sam@berlin-biotech.de")
    assert "Lyon Vectors" in copy.subject and "Hello\nMarch?" in copy.body
    assert not mail_leaks(mail.outbox, "sam@berlin-biotech.de")
    assert len(mail.outbox) == 3
    # Never the organisation's public contact address.
    assert not outbox_to("contact@lyon-vectors.fr")


def test_a_sender_in_their_own_name(client, organisation, stranger):
    page = contact(client, stranger, organisation, on_behalf_of="")
    assert page.status_code == 302
    [email] = outbox_to(SECRET_ADDRESSES[0])
    assert email.subject.endswith("Sid Stranger: Fill and finish for AAV")
    assert "In their own name" in email.body
    assert Conversation.objects.get().sender_organisation is None


def test_on_behalf_of_an_unverified_organisation_says_so(client, organisation, sender, sender_org):
    sender_org.verified = False
    sender_org.save_revision().publish()
    contact(client, sender, organisation, on_behalf_of=str(sender_org.pk))
    [email] = outbox_to(SECRET_ADDRESSES[0])
    assert "not verified by the editors" in email.body
    assert "Sam Sender (Berlin Biotech, not verified): " in email.subject


def test_express_interest_prefills_the_subject_and_links_the_opportunity(
    client, opportunity, organisation, stranger
):
    client.force_login(stranger)
    page = client.get(url("relay_interest", opportunity.pk))
    assert page.status_code == 200
    assert 'value="Interest in: GMP fill &amp; finish for viral vectors"' in page.content.decode()
    response = client.post(
        url("relay_interest", opportunity.pk),
        {"subject": "Interest in: GMP fill & finish for viral vectors", "body": "We need it."},
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert (conversation.opportunity, conversation.organisation) == (opportunity, organisation)
    [email] = outbox_to(SECRET_ADDRESSES[1])
    assert "About your opportunity" in email.body and opportunity.url in email.body
    assert "“GMP fill & finish for viral vectors”" in email.body  # plain text, not &amp;
    assert "Interest in: GMP fill & finish" in email.subject


def test_both_sides_see_the_conversation_and_answers_are_relayed(
    client, organisation, sender, rosa, remi
):
    contact(client, sender, organisation)
    conversation = Conversation.objects.get()
    mail.outbox.clear()

    # Rosa answers on the site: the sender gets it, with no Reply-To and no address.
    client.force_login(rosa)
    inbox = client.get(url("relay_inbox")).content.decode()
    assert "Fill and finish for AAV" in inbox and "to answer" in inbox
    page = client.post(url("relay_conversation", conversation.pk), {"body": "Yes, in week 12."})
    assert page.status_code == 302
    [answer] = mail.outbox
    assert answer.to == ["sam@berlin-biotech.de"] and not answer.reply_to
    assert answer.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Rosa Rep (Lyon Vectors)" in answer.body and "Yes, in week 12." in answer.body
    assert "reaches nobody" in answer.body
    assert not mail_leaks(mail.outbox, "sam@berlin-biotech.de")
    conversation.refresh_from_db()
    assert conversation.last_message_at == RelayMessage.objects.latest("pk").created_at

    # Remi sees it too (same organisation) and the sender's inbox marks it answered.
    client.force_login(remi)
    assert (
        "Yes, in week 12."
        in client.get(url("relay_conversation", conversation.pk)).content.decode()
    )
    client.force_login(sender)
    inbox = client.get(url("relay_inbox")).content.decode()
    assert "answered" in inbox and not leaks(inbox)
    thread = client.get(url("relay_conversation", conversation.pk)).content.decode()
    assert "Rosa Rep" in thread and "Yes, in week 12." in thread and not leaks(thread)

    # The sender writes again: each representative, Reply-To the sender.
    mail.outbox.clear()
    client.post(url("relay_conversation", conversation.pk), {"body": "Great, booking."})
    assert sorted(m.to[0] for m in mail.outbox) == sorted(SECRET_ADDRESSES)
    assert all(m.reply_to == ["sam@berlin-biotech.de"] for m in mail.outbox)
    assert "wrote again" in mail.outbox[0].body


def test_a_representative_named_by_an_address_is_not_shown(client, organisation, sender, rosa):
    rosa.member_profile.full_name = "rosa.secret@lyon-vectors.fr"
    rosa.member_profile.save()
    contact(client, sender, organisation)
    conversation = Conversation.objects.get()
    client.force_login(rosa)
    client.post(url("relay_conversation", conversation.pk), {"body": "Hello"})
    client.force_login(sender)
    thread = client.get(url("relay_conversation", conversation.pk)).content.decode()
    assert "A representative" in thread and not leaks(thread)
    assert not mail_leaks(mail.outbox, "sam@berlin-biotech.de")


def test_every_page_of_the_flow_is_free_of_representatives_addresses(
    client, organisation, opportunity, sender, rosa
):
    client.force_login(sender)
    pages = [
        organisation.url,
        opportunity.url,
        url("relay_contact", organisation.pk),
        url("relay_interest", opportunity.pk),
    ]
    contact(client, sender, organisation)
    conversation = Conversation.objects.get()
    client.force_login(rosa)
    client.post(url("relay_conversation", conversation.pk), {"body": "Answer"})
    client.force_login(sender)
    pages += [
        url("relay_inbox"),
        url("relay_conversation", conversation.pk),
        reverse("members:dashboard"),
    ]
    for path in pages:
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        assert not leaks(response.content.decode()), path
    assert not mail_leaks(mail.outbox, "sam@berlin-biotech.de")
