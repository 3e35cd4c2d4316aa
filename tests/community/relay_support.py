"""What the contact relay's tests share: an organisation with two representatives whose
addresses must never reach the sender, a sender who represents a verified organisation,
a current opportunity, and a scan of pages and e-mails for those addresses."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from cobioe_cms.community.models import OpportunityBoardPage, OpportunityPage
from tests.factories import ActorPageFactory, MemberFactory, RepresentativeFactory

SECRET_ADDRESSES = ("rosa.secret@lyon-vectors.fr", "remi.hidden@lyon-vectors.fr")


def url(name, *args):
    return reverse(f"community:{name}", args=args)


def leaks(text: str) -> list[str]:
    """The representatives' addresses (or their local parts) found in ``text``."""
    found = []
    for address in SECRET_ADDRESSES:
        local = address.split("@")[0]
        if address in text or local in text:
            found.append(address)
    return found


def mail_leaks(messages, to: str) -> list[str]:
    """Leaks in every header and body of the e-mails sent to ``to``."""
    found = []
    for message in messages:
        if to not in message.to:
            continue
        found += leaks(str(message.message()))
    return found


def contact(client, user, organisation, **data):
    client.force_login(user)
    form = {"subject": "Fill and finish for AAV", "body": "Can you take a batch in March?"}
    form.update(data)
    return client.post(url("relay_contact", organisation.pk), form)


@pytest.fixture
def organisation(cartography):
    """Lyon Vectors, represented by Rosa and Rémi."""
    actor = ActorPageFactory(
        parent=cartography, title="Lyon Vectors", contact_email="contact@lyon-vectors.fr"
    )
    for username, email, name in (
        ("rosa.secret", SECRET_ADDRESSES[0], "Rosa Rep"),
        ("remi.hidden", SECRET_ADDRESSES[1], "Rémi Rep"),
    ):
        RepresentativeFactory(
            user=MemberFactory(username=username, email=email, full_name=name), actor=actor
        )
    return actor


@pytest.fixture
def rosa(organisation):
    return organisation.representatives.get(user__email=SECRET_ADDRESSES[0]).user


@pytest.fixture
def remi(organisation):
    return organisation.representatives.get(user__email=SECRET_ADDRESSES[1]).user


@pytest.fixture
def sender_org(cartography):
    return ActorPageFactory(parent=cartography, title="Berlin Biotech", country="DE", verified=True)


@pytest.fixture
def sender(sender_org):
    user = MemberFactory(username="sam", email="sam@berlin-biotech.de", full_name="Sam Sender")
    RepresentativeFactory(user=user, actor=sender_org)
    return user


@pytest.fixture
def stranger(db):
    return MemberFactory(username="sid", email="sid@elsewhere.eu", full_name="Sid Stranger")


@pytest.fixture
def unrepresented(cartography):
    return ActorPageFactory(
        parent=cartography, title="Porto Cells", country="PT", contact_email="info@porto-cells.pt"
    )


@pytest.fixture
def board(db):
    home = Site.objects.get(is_default_site=True).root_page
    page = OpportunityBoardPage(title="Opportunities", slug="opportunities")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_opportunity(board, organisation, **fields) -> OpportunityPage:
    values = {
        "title": "GMP fill & finish for viral vectors",
        "organisation": organisation,
        "direction": "offer",
        "kind": "capacity",
        "description": "Two isolator lines.",
        "expires_on": timezone.localdate() + timedelta(days=60),
        **fields,
    }
    page = OpportunityPage(**values)
    board.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def opportunity(board, organisation):
    return make_opportunity(board, organisation)


def outbox_to(address: str):
    return [m for m in mail.outbox if address in m.to]
