"""Suggested partners: who is never suggested, what the explanation says, the opportunity
page's list and the representatives' "who could work with us" page (permissions, bad ids,
query counts)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from cobioe_cms.community import suggestions
from cobioe_cms.community.models import OpportunityPage
from tests.factories import MemberFactory, RepresentativeFactory

from .conftest import url
from .suggestions_support import make_actor, make_board, make_opportunity

pytestmark = pytest.mark.django_db

VECTORS = "gene-therapies-viral-vectors"


def _filler(cartography, title, **kwargs):
    """A provider a fill & finish request for viral vectors finds."""
    facts = {
        "stages": ["fill-finish"],
        "modalities": [VECTORS],
        "scales": ["commercial"],
        "gmp": "gmp-certified",
        "country": "PT",
        "type": "cdmo",
    }
    facts.update(kwargs)
    return make_actor(cartography, title, **facts)


@pytest.fixture
def board(db):
    return make_board()


@pytest.fixture
def seeker(cartography):
    """A gene-therapy developer that needs fill & finish (and would itself match its
    own request: it must never be suggested to itself)."""
    return _filler(cartography, "GeneCure Therapeutics", type="company")


@pytest.fixture
def request_opportunity(board, seeker):
    return make_opportunity(
        board,
        seeker,
        "GMP fill & finish for our AAV",
        stages=["fill-finish"],
        modalities=[VECTORS],
        scales=["commercial"],
        gmp="gmp-certified",
        countries=["PT", "ES"],
    )


def titles(found):
    return [s.actor.title for s in found]


# -- who is suggested --------------------------------------------------------------------


def test_the_best_provider_comes_first_with_its_reasons(cartography, request_opportunity, seeker):
    _filler(cartography, "Lusovec")
    _filler(cartography, "Madrid Fill", country="ES", gmp="gmp-like")
    _filler(cartography, "MabFill Porto", modalities=["monoclonal-antibodies"])
    _filler(cartography, "Berlin Vectors", country="DE")
    make_actor(cartography, "Vector Academy", stages=["training"], modalities=[VECTORS])

    found = suggestions.for_opportunity(request_opportunity)

    assert titles(found)[:2] == ["Lusovec", "Madrid Fill"]
    assert seeker.title not in titles(found)
    assert found[0].explanation == (
        "offers GMP fill & finish for gene therapies & viral vectors at commercial scale "
        "in Portugal"
    )
    # The one outside the countries sought and the one without the modality come after.
    assert titles(found).index("Berlin Vectors") > 1
    assert "Vector Academy" not in titles(found)  # a shared modality alone is not enough


def test_never_the_organisation_itself_unpublished_or_merged(
    cartography, request_opportunity, seeker
):
    kept = _filler(cartography, "Lusovec")
    _filler(cartography, "Draft Fill", live=False)
    merged = _filler(cartography, "Old Lusovec")
    merged.merged_into = kept
    merged.save(update_fields=["merged_into"])  # still live: the filter must exclude it

    found = titles(suggestions.for_opportunity(request_opportunity))

    assert found == ["Lusovec"]
    assert seeker.title not in titles(suggestions.for_organisation(kept))


@pytest.mark.parametrize(
    "change",
    [
        {"status": OpportunityPage.Status.CLOSED},
        {"expires_on": timezone.localdate() - datetime.timedelta(days=1)},
        {"live": False},
    ],
    ids=["closed", "expired", "unpublished"],
)
def test_an_opportunity_that_is_not_current_gives_no_suggestions(
    cartography, request_opportunity, change
):
    _filler(cartography, "Lusovec")
    assert titles(suggestions.for_opportunity(request_opportunity)) == ["Lusovec"]
    for field, value in change.items():
        setattr(request_opportunity, field, value)
    request_opportunity.save()
    assert suggestions.for_opportunity(request_opportunity) == []


def test_ties_are_broken_by_title(cartography, request_opportunity):
    for title in ["Zeta Fill", "Alpha Fill", "Mu Fill"]:
        _filler(cartography, title)
    found = suggestions.for_opportunity(request_opportunity)
    assert titles(found) == ["Alpha Fill", "Mu Fill", "Zeta Fill"]
    assert len({s.score for s in found}) == 1


def test_an_offer_finds_the_actors_that_need_it_not_its_competitors(board, cartography, seeker):
    offer = make_opportunity(
        board,
        seeker,
        "Fill & finish slots for viral vectors",
        direction=OpportunityPage.Direction.OFFER,
        stages=["fill-finish"],
        modalities=[VECTORS],
    )
    make_actor(
        cartography,
        "AAV Start",
        stages=["clinical-manufacturing"],
        modalities=[VECTORS],
        country="BE",
        partners_sought="We look for a fill & finish partner for our phase I batches.",
    )
    make_actor(cartography, "Lenti Labs", stages=["research-development"], modalities=[VECTORS])
    _filler(cartography, "Competing Filler")

    found = suggestions.for_opportunity(offer)

    assert titles(found) == ["AAV Start", "Lenti Labs"]
    assert found[0].explanation == (
        "seeks fill & finish, works in clinical manufacturing for gene therapies & viral "
        "vectors in Belgium"
    )


def test_labels_follow_the_active_language(cartography, request_opportunity):
    _filler(cartography, "Lusovec")
    with translation.override("fr"):
        found = suggestions.for_opportunity(request_opportunity)
    assert "remplissage et conditionnement" in found[0].explanation
    assert "thérapies géniques et vecteurs viraux" in found[0].explanation
    assert "échelle commerciale" in found[0].explanation


def test_an_organisation_is_suggested_suppliers_and_clients(cartography):
    developer = make_actor(
        cartography,
        "mRNA Discovery",
        stages=["research-development"],
        modalities=["mrna-nucleic-acids"],
        therapeutic_areas=["oncology"],
        partners_sought="A partner for process development and GMP production.",
    )
    make_actor(
        cartography,
        "ProcessWorks",
        stages=["process-development"],
        modalities=["mrna-nucleic-acids"],
        type="cdmo",
        country="DE",
    )
    make_actor(cartography, "Other Discovery", stages=["training"], modalities=["peptides"])
    found = suggestions.for_organisation(developer)
    assert titles(found) == ["ProcessWorks"]
    assert found[0].explanation.startswith("offers process development & industrialisation")


# -- the opportunity page ---------------------------------------------------------------------


def test_the_opportunity_page_lists_them_for_everyone(client, cartography, request_opportunity):
    lusovec = _filler(cartography, "Lusovec")
    response = client.get(request_opportunity.url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Organisations that could answer" in content
    assert lusovec.url in content
    assert "Offers GMP fill &amp; finish for gene therapies &amp; viral vectors" in content


def test_a_closed_opportunity_page_says_there_are_no_suggestions(
    client, cartography, request_opportunity
):
    _filler(cartography, "Lusovec")
    request_opportunity.status = OpportunityPage.Status.CLOSED
    request_opportunity.save()
    content = client.get(request_opportunity.url).content.decode()
    assert "This opportunity is not open: no organisations are suggested for it." in content
    assert "Lusovec" not in content


def _count(client, path):
    client.get(path)  # warm caches (site root, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_opportunity_page_query_count_does_not_grow_with_the_candidates(
    client, cartography, request_opportunity
):
    _filler(cartography, "Lusovec")
    assert "Lusovec" in client.get(request_opportunity.url).content.decode()
    few = _count(client, request_opportunity.url)
    for n in range(12):
        _filler(
            cartography, f"Filler {n}", therapeutic_areas=["oncology"], services=["formulation"]
        )
    many = _count(client, request_opportunity.url)
    assert many == few


# -- the "who could work with us" page --------------------------------------------------------


@pytest.fixture
def representative(seeker):
    user = MemberFactory(username="rita", email="rita@genecure.eu")
    RepresentativeFactory(user=user, actor=seeker)
    return user


def test_a_representative_sees_the_partners_and_their_opportunities(
    client, cartography, seeker, representative, request_opportunity
):
    make_actor(
        cartography,
        "CliniQC",
        stages=["quality-control"],
        modalities=[VECTORS],
        country="NL",
        type="cro",
    )
    client.force_login(representative)
    response = client.get(url("partners_for_organisation", seeker.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Who could work with GeneCure Therapeutics" in content
    assert "CliniQC" in content
    assert (
        "Offers quality control &amp; analytics for gene therapies &amp; viral vectors" in content
    )
    assert f"{request_opportunity.url}#suggestions" in content


def test_the_partners_page_query_count_does_not_grow(
    client, cartography, seeker, representative, request_opportunity
):
    client.force_login(representative)
    make_actor(cartography, "QC first", stages=["quality-control"], modalities=[VECTORS])
    path = url("partners_for_organisation", seeker.pk)
    assert "QC first" in client.get(path).content.decode()
    few = _count(client, path)
    for n in range(15):
        make_actor(cartography, f"QC {n}", stages=["quality-control"], modalities=[VECTORS])
    assert _count(client, path) == few


def test_anonymous_visitors_are_sent_to_sign_in(client, seeker):
    response = client.get(url("partners_for_organisation", seeker.pk))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["member", "other_representative", "editor"])
def test_only_the_organisations_representatives_see_its_partners(
    client, cartography, seeker, who, editor
):
    if who == "editor":
        user = editor
    else:
        user = MemberFactory(username="vic", email="vic@example.org")
        if who == "other_representative":
            other = make_actor(cartography, "Other Org", stages=["production"])
            RepresentativeFactory(user=user, actor=other)
            assert client.get(url("partners_for_organisation", other.pk)).status_code == 302
            client.force_login(user)
            assert client.get(url("partners_for_organisation", other.pk)).status_code == 200
    client.force_login(user)
    response = client.get(url("partners_for_organisation", seeker.pk))
    assert response.status_code == 403
    assert "Only the representatives of GeneCure Therapeutics see the partners" in (
        response.content.decode()
    )


@pytest.mark.parametrize("pk", ["999999", "9" * 18, "0"])
def test_ids_of_no_organisation_are_a_404(client, representative, pk):
    client.force_login(representative)
    assert client.get(f"/community/organisations/{pk}/partners/").status_code == 404


@pytest.mark.parametrize("path", ["9" * 19, "abc", "-1", "1.5"])
def test_malformed_ids_are_a_404(client, representative, path):
    client.force_login(representative)
    assert client.get(f"/community/organisations/{path}/partners/").status_code == 404


def test_a_draft_or_merged_organisation_is_a_404_for_others(client, cartography, seeker):
    user = MemberFactory(username="vic", email="vic@example.org")
    draft = make_actor(cartography, "Secret Draft", live=False, stages=["production"])
    merged = make_actor(cartography, "Merged One", stages=["production"])
    merged.merged_into = seeker
    merged.save(update_fields=["merged_into"])
    client.force_login(user)
    for actor in (draft, merged):
        response = client.get(url("partners_for_organisation", actor.pk))
        assert response.status_code == 404
        assert actor.title not in response.content.decode()


def test_another_page_id_is_a_404(client, representative, request_opportunity):
    client.force_login(representative)
    path = url("partners_for_organisation", request_opportunity.pk)
    assert client.get(path).status_code == 404
