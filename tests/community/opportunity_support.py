"""What the opportunity posting tests share: the board, two organisations with a
representative each, a valid form, and the editor's decisions in the Wagtail admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from cobioe_cms.community.models import OpportunityBoardPage, OpportunityPage
from tests.factories import ActorPageFactory, MemberFactory, RepresentativeFactory


def url(name, *args):
    return reverse(f"community:{name}", args=args)


def form(actor, **overrides) -> dict:
    data = {
        "title": "GMP fill & finish capacity for viral vectors",
        "organisation": str(actor.pk),
        "direction": "offer",
        "kind": "capacity",
        "description": "Two **isolator lines**, 2,000 vials per hour.",
        "stages": ["production", "commercial-manufacturing"],
        "modalities": ["gene-therapies-viral-vectors"],
        "therapeutic_areas": ["rare-diseases"],
        "scales": ["commercial"],
        "gmp_status": "gmp-certified",
        "countries": ["FR", "DE"],
        "expires_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def seasoned(user):
    """Past the first days, when some posting is held back."""
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save(update_fields=["date_joined"])
    return user


@pytest.fixture
def board(db):
    home = Site.objects.get(is_default_site=True).root_page
    page = OpportunityBoardPage(title="Opportunities", slug="opportunities")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def lyon(cartography):
    return ActorPageFactory(
        parent=cartography, title="Lyon Biologics", website="https://lyonbio.eu/"
    )


@pytest.fixture
def berlin(cartography):
    return ActorPageFactory(parent=cartography, title="Berlin Vectors", country="DE", city="Berlin")


@pytest.fixture
def rep(lyon):
    user = seasoned(MemberFactory(username="rita", email="rita@lyonbio.eu"))
    RepresentativeFactory(user=user, actor=lyon)
    return user


@pytest.fixture
def other_rep(berlin):
    user = seasoned(MemberFactory(username="bernd", email="bernd@berlin-vectors.de"))
    RepresentativeFactory(user=user, actor=berlin)
    return user


@pytest.fixture
def plain_member(db):
    return seasoned(MemberFactory(username="paul", email="paul@example.org"))


def post_opportunity(client, organisation, submit=False, **overrides) -> OpportunityPage:
    data = form(organisation, **overrides)
    if submit:
        data["submit"] = "1"
    response = client.post(url("new_opportunity"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return OpportunityPage.objects.latest("pk")


def editor_decides(client, editor, page, action="approve", comment=""):
    """The editor approves (or ``reject``: asks for changes) in the Wagtail admin."""
    page.refresh_from_db()
    task_state = page.current_workflow_state.current_task_state
    client.force_login(editor)
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state.pk}/", {"comment": comment}
    )
    assert response.status_code in {200, 302}
    page.refresh_from_db()
    return page


def published(client, rep, editor, organisation, **overrides) -> OpportunityPage:
    """An opportunity posted by ``rep``, submitted and approved."""
    client.force_login(rep)
    page = post_opportunity(client, organisation, submit=True, **overrides)
    editor_decides(client, editor, page)
    client.force_login(rep)
    return page
