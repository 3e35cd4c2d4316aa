"""Members' watch feeds and digests do not show actors unpublished or made private
after the fact, nor surface news or items through the follow of such an actor
(security review, issue 9 item 17)."""

import datetime
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cobioe_cms.actors.models import CartographyPage
from cobioe_cms.core.models import Modality, PortalHomePage
from cobioe_cms.news.demo import ensure_news
from cobioe_cms.watch import percolator
from cobioe_cms.watch.digests import build_digest, send_digests
from cobioe_cms.watch.matching import DatabaseMatcher
from cobioe_cms.watch.models import InterestProfile, WatchItem
from tests.factories import ActorPageFactory, NewsPageFactory, UserFactory, WatchItemFactory

pytestmark = pytest.mark.django_db

HIDDEN = "Quietly Withdrawn Biologics"
SHOWN = "Openly Listed Pharma"
# Items and news whose own text never names the actors.
BOTH = "Vaccine plant opens in Évry"  # matches the member's modality too
ONLY_FOLLOW = "Quarterly results published"  # matches only through the follow
NEWS = "Interview with a chief executive"  # editors' news mentioning the hidden actor


@pytest.fixture
def world(cartography):
    member = UserFactory(username="member", verified=True)
    home = PortalHomePage.objects.get()
    partners = home.add_child(instance=CartographyPage(title="Partners", slug="partners"))
    hidden = ActorPageFactory(parent=partners, title=HIDDEN)
    shown = ActorPageFactory(parent=cartography, title=SHOWN)
    profile = InterestProfile.objects.create(
        user=member,
        digest=InterestProfile.Digest.DAILY,
        digest_opt_in_at=timezone.now() - datetime.timedelta(days=2),
    )
    profile.modalities.set(Modality.objects.filter(slug="vaccines"))
    profile.followed_actors.set([hidden, shown])
    both = WatchItemFactory(title=BOTH, modalities=["vaccines"], actors=[hidden, shown])
    only_follow = WatchItemFactory(title=ONLY_FOLLOW, actors=[hidden])
    NewsPageFactory(parent=ensure_news(home), title=NEWS, related_actors=[hidden])
    return SimpleNamespace(
        member=member,
        profile=profile,
        partners=partners,
        hidden=hidden,
        hidden_url=hidden.url,
        shown_url=shown.url,
        both=both,
        only_follow=only_follow,
    )


def unpublish(world):
    world.hidden.unpublish()


def restrict_the_actor(world):
    PageViewRestriction.objects.create(
        page=world.hidden, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )


def restrict_its_section(world):
    # A groups restriction with no group: nobody outside the admin may see the section.
    PageViewRestriction.objects.create(
        page=world.partners, restriction_type=PageViewRestriction.GROUPS
    )


HIDE = pytest.mark.parametrize(
    "hide",
    [unpublish, restrict_the_actor, restrict_its_section],
    ids=["unpublished", "private", "private section"],
)


def shows_hidden_actor(text: str, world) -> bool:
    return HIDDEN in text or world.hidden_url in text


@HIDE
def test_the_watch_page_no_longer_shows_the_actor(client, world, hide):
    client.force_login(world.member)
    before = client.get("/watch/").content.decode()
    assert shows_hidden_actor(before, world) and world.hidden_url in before
    assert ONLY_FOLLOW in before and NEWS in before

    hide(world)
    response = client.get("/watch/")

    assert response.status_code == 200
    after = response.content.decode()
    assert BOTH in after  # still matches by its modality
    assert SHOWN in after and world.shown_url in after  # the other actor is unaffected
    assert not shows_hidden_actor(after, world)
    assert ONLY_FOLLOW not in after  # the follow of a hidden actor matches nothing
    assert NEWS not in after


@HIDE
def test_the_interests_page_no_longer_lists_the_followed_actor(client, world, hide):
    client.force_login(world.member)
    assert HIDDEN in client.get("/watch/interests/").content.decode()

    hide(world)
    page = client.get("/watch/interests/").content.decode()

    assert SHOWN in page and not shows_hidden_actor(page, world)


@HIDE
def test_the_digest_no_longer_surfaces_the_actor(world, hide):
    since, until = timezone.now() - datetime.timedelta(days=1), timezone.now()
    single = build_digest(world.profile, since, until)
    assert {i.title for items in single["groups"].values() for i in items} == {BOTH, ONLY_FOLLOW}
    batch = DatabaseMatcher().profiles_for_items([world.only_follow])
    assert world.profile.pk in batch[world.only_follow.pk]

    hide(world)

    single = build_digest(world.profile, since, until)
    assert {i.title for items in single["groups"].values() for i in items} == {BOTH}
    batch = DatabaseMatcher().profiles_for_items([world.only_follow, world.both])
    assert batch == {world.only_follow.pk: set(), world.both.pk: {world.profile.pk}}
    assert send_digests("daily")["sent"] == 1
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for text in (message.body, html):
        assert BOTH in text
        assert ONLY_FOLLOW not in text and NEWS not in text
        assert not shows_hidden_actor(text, world)


def test_percolation_no_longer_matches_the_follow(world, search_cluster):
    """On a real search node (skipped without one): the percolated item carries only
    the actors members may see."""
    call_command("search_rebuild", "watch_items", "watch_profiles", "news", stdout=StringIO())

    def matched():
        item = WatchItem.objects.get(pk=world.only_follow.pk)
        return percolator.cluster_profiles_for_items([item])[item.pk]

    assert matched() == {world.profile.pk}
    unpublish(world)
    assert matched() == set()
