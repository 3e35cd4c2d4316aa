"""Interest matching, the member's watch page, feedback, follows and saved searches."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from cobioe_cms.core.models import Modality, ValueChainStage
from cobioe_cms.watch.matching import DatabaseMatcher
from cobioe_cms.watch.models import InterestProfile, SavedSearch, WatchItem
from tests.factories import ActorPageFactory, MemberFactory, SourceFactory, WatchItemFactory


@pytest.fixture
def reader(db):
    return MemberFactory(username="reader", email="reader@example.org")


@pytest.fixture
def profile(reader):
    profile = InterestProfile.objects.create(user=reader, keywords="perfusion")
    profile.modalities.set(Modality.objects.filter(slug="vaccines"))
    profile.countries = ["PT"]
    profile.save()
    return profile


@pytest.mark.django_db
def test_items_match_any_interest_and_no_excluded_word(profile, cartography):
    lyon = ActorPageFactory(parent=cartography, title="Lyon Biologics")
    profile.followed_actors.add(lyon)
    vaccine = WatchItemFactory(title="New vaccine plant", modalities=["vaccines"])
    lisbon = WatchItemFactory(title="Lisbon expands", countries=["PT"])
    keyword = WatchItemFactory(title="Perfusion at scale")
    followed = WatchItemFactory(title="Lyon Biologics raises funds", actors=[lyon])
    WatchItemFactory(
        title="Unrelated cell therapy news", modalities=["cell-therapies"], countries=["DE"]
    )
    both = WatchItemFactory(title="Vaccines in Portugal", modalities=["vaccines"], countries=["PT"])
    excluded = WatchItemFactory(title="Vaccine recall scandal", modalities=["vaccines"])
    profile.excluded_keywords = "recall"
    profile.save()
    matched = {i.title: i.score for i in DatabaseMatcher().items_for(profile)}
    assert set(matched) == {t.title for t in (vaccine, lisbon, keyword, followed, both)}
    assert matched["Vaccines in Portugal"] == 2
    assert excluded.title not in matched


@pytest.mark.django_db
def test_batch_matching_agrees_with_per_profile_matching(profile, reader):
    other = User.objects.create_user("other", "o@example.org", "a-long-pass-phrase")
    other_profile = InterestProfile.objects.create(user=other, keywords="bioreactor")
    other_profile.stages.set(ValueChainStage.objects.filter(slug="production"))
    items = [
        WatchItemFactory(title="New vaccine plant", modalities=["vaccines"]),
        WatchItemFactory(title="A 2000 L bioreactor", stages=["production"]),
        WatchItemFactory(title="Perfusion bioreactor", summary="perfusion"),
        WatchItemFactory(title="Nothing here"),
    ]
    batch = DatabaseMatcher().profiles_for_items(items)
    for profile_obj in (profile, other_profile):
        expected = {i.pk for i in DatabaseMatcher().items_for(profile_obj)}
        got = {item_id for item_id, ids in batch.items() if profile_obj.pk in ids}
        assert got == expected
    assert batch[items[3].pk] == set()


@pytest.mark.django_db
def test_watch_page_ranks_and_takes_feedback(client, profile, reader):
    source_a, source_b = SourceFactory(name="Source A"), SourceFactory(name="Source B")
    double = WatchItemFactory(
        title="Vaccines in Portugal", source=source_a, modalities=["vaccines"], countries=["PT"]
    )
    single = WatchItemFactory(title="Vaccine news", source=source_b, modalities=["vaccines"])
    old = WatchItemFactory(
        title="Old vaccine news",
        modalities=["vaccines"],
        published_at=timezone.now() - datetime.timedelta(days=60),
    )
    client.force_login(reader)
    html = client.get("/watch/").content.decode()
    assert html.index(double.title) < html.index(single.title)
    assert old.title not in html
    assert old.title in client.get("/watch/?period=90").content.decode()
    assert "Unknown period" in client.get("/watch/?period=abc", follow=True).content.decode()

    client.post(f"/watch/items/{single.pk}/not-relevant/")
    html = client.get("/watch/").content.decode()
    assert single.title not in html
    sibling = WatchItemFactory(
        title="Another vaccine story", source=source_b, modalities=["vaccines"]
    )
    items = {i.title: i.score for i in DatabaseMatcher().items_for(profile)}
    assert items[sibling.title] == 0  # one match, minus one for a disliked source


@pytest.mark.django_db
def test_watch_is_private(client, profile, reader):
    WatchItemFactory(title="Vaccine news", modalities=["vaccines"])
    assert client.get("/watch/").status_code == 302
    other = MemberFactory(username="nosy", email="nosy@example.org")
    client.force_login(other)
    html = client.get("/watch/").content.decode()
    assert "Vaccine news" not in html
    assert "Your watch is empty" in html


@pytest.mark.django_db
def test_interest_form_saves_and_keeps_bad_input(client, reader):
    client.force_login(reader)
    vaccines = Modality.objects.get(slug="vaccines")
    response = client.post(
        "/watch/interests/",
        {
            "modalities": [vaccines.pk],
            "countries": ["FR", "ZZ"],
            "keywords": "perfusion",
            "digest": "weekly",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert "perfusion" in response.content.decode()
    assert not InterestProfile.objects.filter(user=reader, digest="weekly").exists()
    client.post(
        "/watch/interests/",
        {
            "modalities": [vaccines.pk],
            "countries": ["FR"],
            "keywords": "perfusion\n\nperfusion",
            "digest": "weekly",
        },
    )
    profile = InterestProfile.objects.get(user=reader)
    assert profile.digest == "weekly" and profile.digest_opt_in_at is not None
    assert profile.keywords == "perfusion"


@pytest.mark.django_db
def test_follow_from_a_profile_and_save_a_search(client, reader, cartography):
    lyon = ActorPageFactory(parent=cartography, title="Lyon Biologics")
    client.force_login(reader)
    html = client.get(lyon.url).content.decode()
    assert f"/watch/follow/{lyon.pk}/" in html
    client.post(f"/watch/follow/{lyon.pk}/", {"next": "https://evil.example/"})
    assert InterestProfile.objects.get(user=reader).followed_actors.filter(pk=lyon.pk).exists()
    client.post(f"/watch/follow/{lyon.pk}/")
    assert not InterestProfile.objects.get(user=reader).followed_actors.exists()
    assert client.post("/watch/follow/999999/").status_code == 404

    assert "Save this search as" in client.get("/cartography/?country=FR").content.decode()
    client.post(
        "/watch/searches/save/",
        {
            "name": "French CDMOs",
            "querystring": "country=FR&type=cdmo&modality=bogus",
            "cartography": cartography.pk,
            "alert": "on",
        },
    )
    search = SavedSearch.objects.get(user=reader)
    assert search.querystring == "country=FR&type=cdmo"  # only the valid filters
    forged = client.post("/watch/searches/save/", {"name": "x", "cartography": lyon.pk})
    assert forged.status_code == 302 and SavedSearch.objects.count() == 1
    other = MemberFactory(username="other", email="o@example.org")
    client.force_login(other)
    assert client.post(f"/watch/searches/{search.pk}/delete/").status_code == 404
    assert SavedSearch.objects.filter(pk=search.pk).exists()


@pytest.mark.django_db
def test_watch_page_filters_by_topic_and_source(client, profile, reader):
    profile.stages.set(ValueChainStage.objects.filter(slug="production"))
    wire, gazette = SourceFactory(name="Wire"), SourceFactory(name="Gazette")
    WatchItemFactory(title="Vaccine item", source=wire, modalities=["vaccines"])
    WatchItemFactory(title="Production item", source=gazette, stages=["production"])
    client.force_login(reader)
    vaccines = Modality.objects.get(slug="vaccines")
    html = client.get(f"/watch/?topic=modalities:{vaccines.pk}").content.decode()
    assert "Vaccine item" in html and "Production item" not in html
    html = client.get(f"/watch/?source={gazette.pk}").content.decode()
    assert "Production item" in html and "Vaccine item" not in html
    response = client.get("/watch/?topic=stages:999999&source=abc", follow=True)
    assert response.status_code == 200
    assert "Unknown topic" in response.content.decode()


@pytest.mark.django_db
def test_demo_watch_command_is_idempotent_and_fills_the_demo_members_watch(client, cartography):
    from django.core.management import call_command

    from cobioe_cms.demo.actors import generate_actors

    generate_actors(cartography, 5, seed=1)
    call_command("load_demo_members")
    call_command("load_demo_watch", count=20)
    call_command("load_demo_watch", count=20)
    assert WatchItem.objects.count() == 20
    client.force_login(User.objects.get(email="member@example.org"))
    assert "Demo item (synthetic)" in client.get("/watch/?period=90").content.decode()
