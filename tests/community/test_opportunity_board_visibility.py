"""Where opportunities show besides the board: the site search's "Opportunities"
section and the watch digest's "Opportunities matching your interests". Only current
ones, ever: a closed, expired, draft opportunity or one of an unpublished or merged
organisation (the world of :func:`.opportunity_board_support.build_world`, each
holding the word "zephyrine" and every term the members watch) is never shown."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from cobioe_cms.community.digest import matching_opportunities, opportunities_section
from cobioe_cms.community.models import OpportunityPage
from cobioe_cms.core.models import Modality, TherapeuticArea, ValueChainStage
from cobioe_cms.watch.digest_sections import build_sections, registered_sections
from cobioe_cms.watch.digests import send_digests
from cobioe_cms.watch.models import InterestProfile
from tests.community.opportunity_board_support import (
    HIDDEN_TITLES,
    SENTINEL,
    build_world,
    days_ago,
    make_opportunity,
)
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cartography, no_search):
    return build_world(cartography)


# -- site search -----------------------------------------------------------------------


def found(client, query: str, kind: str = "opportunities") -> list[str]:
    response = client.get("/search/", {"q": query, "kind": kind})
    assert response.status_code == 200
    page = response.context["search"].selected.page
    return [hit.title for hit in page.object_list]


def test_current_opportunities_are_found_best_match_first(client, world):
    assert found(client, "viral") == [
        "GMP suites for viral vectors",  # in the title
        "Vaccine production partner wanted",  # in the description
    ]
    assert found(client, "Lyon Cells") == [
        "Academic partner for CAR-T research",
        "Vaccine production partner wanted",
    ]
    html = client.get("/search/", {"q": "viral"}).content.decode()
    assert "Opportunities" in html and "GMP suites for viral vectors" in html


def test_hidden_opportunities_are_found_in_no_section(client, world, django_user_model):
    assert found(client, SENTINEL) == []
    for title in HIDDEN_TITLES:
        assert title not in found(client, title)
    html = client.get("/search/", {"q": SENTINEL}).content.decode()
    for title in HIDDEN_TITLES:
        assert title not in html
    # Not even through the generic pages section, which leaves opportunity pages to
    # their own section.
    assert found(client, "Closed suites", kind="pages") == []


def test_site_search_bad_queries_never_fail(client, world):
    for query in ("", "   ", "and of", "\x00viral", "viral " * 300):
        response = client.get("/search/", {"q": query, "kind": "opportunities"})
        assert response.status_code == 200


# -- watch digest --------------------------------------------------------------------------


def _member(username: str, **interests):
    user = MemberFactory(username=username, email=f"{username}@example.org")
    profile = InterestProfile.objects.create(
        user=user,
        countries=interests.pop("countries", []),
        keywords="\n".join(interests.pop("keywords", [])),
        excluded_keywords="\n".join(interests.pop("excluded", [])),
        digest=interests.pop("digest", InterestProfile.Digest.NONE),
    )
    profile.stages.set(ValueChainStage.objects.filter(slug__in=interests.pop("stages", [])))
    profile.modalities.set(Modality.objects.filter(slug__in=interests.pop("modalities", [])))
    profile.therapeutic_areas.set(
        TherapeuticArea.objects.filter(slug__in=interests.pop("areas", []))
    )
    profile.followed_actors.set(interests.pop("followed", []))
    assert not interests
    return user


def titles(user, since=None, until=None) -> list[str]:
    since = since or days_ago(10)
    until = until or timezone.now()
    return [o.title for o in matching_opportunities(user, since, until)]


def test_digest_lists_new_opportunities_matching_the_interests(world):
    # Every hidden opportunity is in the fill-finish stage and the viral-vector modality.
    by_stage = _member("stella", stages=["fill-finish"])
    assert titles(by_stage) == ["GMP suites for viral vectors"]
    by_area = _member("arun", areas=["oncology", "infectious-diseases"])
    assert titles(by_area) == [
        "Academic partner for CAR-T research",
        "Vaccine production partner wanted",
    ]
    by_modality = _member("moda", modalities=["gene-therapies-viral-vectors", "vaccines"])
    assert titles(by_modality) == [
        "Vaccine production partner wanted",
        "GMP suites for viral vectors",
    ]
    # A country watched: the opportunities seeking it, and those open anywhere.
    by_country = _member("franz", countries=["FR"])
    assert titles(by_country) == [
        "Academic partner for CAR-T research",
        "Vaccine production partner wanted",
    ]
    by_keyword = _member("kira", keywords=["bioprocess"])
    assert titles(by_keyword) == ["Bioprocess training seats"]
    follower = _member("fola", followed=[world["vectalys"]])
    assert titles(follower) == ["Bioprocess training seats", "GMP suites for viral vectors"]
    nobody = _member("nemo")
    assert titles(nobody) == []
    assert opportunities_section(nobody, days_ago(10), timezone.now()) is None


def test_digest_takes_only_the_period_and_drops_excluded_words_and_own_postings(world):
    user = _member("stella", modalities=["gene-therapies-viral-vectors", "vaccines"])
    # "vaccine" was published 3 days ago, "viral" 5 days ago.
    assert titles(user, since=days_ago(4)) == ["Vaccine production partner wanted"]
    assert titles(user, since=days_ago(10), until=days_ago(4)) == ["GMP suites for viral vectors"]
    excluding = _member(
        "xavi", modalities=["gene-therapies-viral-vectors", "vaccines"], excluded=["CDMO"]
    )
    assert titles(excluding) == ["GMP suites for viral vectors"]
    OpportunityPage.objects.filter(title="GMP suites for viral vectors").update(posted_by=user)
    assert titles(user) == ["Vaccine production partner wanted"]


def test_digest_section_is_registered_and_sent_by_the_watch(world, settings):
    assert "opportunities" in [section.key for section in registered_sections()]
    user = _member("stella", stages=["fill-finish"], digest=InterestProfile.Digest.DAILY)
    InterestProfile.objects.filter(user=user).update(last_digest_at=days_ago(7))
    sections = build_sections(user, days_ago(7), timezone.now())
    section = next(s for s in sections if s["key"] == "opportunities")
    assert section["title"] == "Opportunities matching your interests"
    assert [item["text"] for item in section["items"]] == [
        "Offer: GMP suites for viral vectors (Vectalys)"
    ]
    assert section["items"][0]["url"].startswith("http")
    assert section["items"][0]["url"].endswith("/opportunities/gmp-suites-for-viral-vectors/")

    stats = send_digests("daily", timezone.now())
    assert stats["sent"] == 1
    (message,) = mail.outbox
    assert "Opportunities matching your interests" in message.body
    assert "GMP suites for viral vectors" in message.body
    assert SENTINEL not in message.body
    for title in HIDDEN_TITLES:
        assert title not in message.body


def test_digest_section_says_how_many_more(world):
    board, lyon = world["board"], world["lyon"]
    for n in range(32):
        make_opportunity(
            board, lyon, f"Training batch {n}", stages=["training"], published_at=days_ago(0.5)
        )
    user = _member("tess", stages=["training"])
    section = opportunities_section(user, days_ago(10), timezone.now())
    assert len(section["items"]) == 30
    assert section["more_text"] == "and 3 more on the opportunities board:"
    assert section["more_url"].endswith("/opportunities/")


def test_digest_reads_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    user = _member("stella", stages=["fill-finish"], areas=["oncology"], countries=["DE"])
    until = timezone.now() + datetime.timedelta(seconds=1)
    with django_assert_max_num_queries(9):
        opportunities_section(user, days_ago(10), until)


def test_digest_without_new_opportunities_costs_one_query(world, django_assert_num_queries):
    user = _member("stella", stages=["fill-finish"])
    with django_assert_num_queries(1):
        assert opportunities_section(user, days_ago(0.1), timezone.now()) is None


def test_opportunities_under_a_view_restriction_are_in_no_digest_or_search(client, world):
    from wagtail.models import PageViewRestriction

    user = _member("stella", stages=["fill-finish"], areas=["oncology"])
    assert titles(user)
    PageViewRestriction.objects.create(page=world["board"], restriction_type="login")
    assert titles(user) == []
    assert found(client, "viral") == []


# -- the watch page ----------------------------------------------------------------------


def test_the_watch_page_lists_current_opportunities_matching_the_interests(client, world):
    by_stage = _member("stella", stages=["fill-finish"])
    client.force_login(by_stage)
    page = client.get("/watch/").content.decode()
    assert "Opportunities matching your interests" in page
    assert "GMP suites for viral vectors" in page
    for title in HIDDEN_TITLES:
        assert title not in page
    assert "Opportunités correspondant à vos centres d’intérêt" in (
        client.get("/fr/watch/").content.decode()
    )
    client.force_login(_member("nemo"))
    assert "Opportunities matching your interests" not in client.get("/watch/").content.decode()


def test_the_watch_page_costs_the_same_queries_for_one_or_many_matches(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member = _member("moda", modalities=["gene-therapies-viral-vectors", "vaccines"])
    client.force_login(member)
    client.get("/watch/")
    with CaptureQueriesContext(connection) as few:
        client.get("/watch/")
    for number in range(6):
        make_opportunity(
            world["board"],
            world["lyon"],
            f"More vaccine capacity {number}",
            modalities=["vaccines"],
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get("/watch/").content.decode()
    assert "More vaccine capacity" in page
    assert len(many.captured_queries) == len(few.captured_queries)
