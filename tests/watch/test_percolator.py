"""Watch matching on a real search node: the percolator matcher gives the database
matcher's answers exactly (ids, scores, order), follows profile changes, falls back to
the database when the cluster is down, and ingestion indexes the new items."""

import logging
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from cobioe_cms.core.models import Modality, PortalHomePage, TherapeuticArea, ValueChainStage
from cobioe_cms.news.demo import ensure_news
from cobioe_cms.search import indexes
from cobioe_cms.search.service import breaker_open
from cobioe_cms.watch import percolator
from cobioe_cms.watch.ingest.run import ingest_source
from cobioe_cms.watch.matching import DatabaseMatcher
from cobioe_cms.watch.models import InterestProfile, ItemFeedback, Source, WatchItem
from cobioe_cms.watch.percolator import (
    PercolatorMatcher,
    cluster_item_ids_for,
    cluster_news_ids_for,
)
from cobioe_cms.watch.search_documents import keyword_pieces
from cobioe_cms.watch.search_queries import cluster_item_ids
from tests.conftest import SEARCH_PREFIX
from tests.factories import ActorPageFactory, NewsPageFactory, SourceFactory, WatchItemFactory

pytestmark = pytest.mark.django_db

SEARCH_LOGGER = "cobioe_cms.search"
WATCH_INDEXES = ("watch_items", "watch_profiles", "news")


def make_profile(
    name,
    *,
    stages=(),
    modalities=(),
    areas=(),
    countries=(),
    keywords="",
    excluded="",
    actors=(),
):
    user = User.objects.create_user(name, f"{name}@example.org", "a-long-pass-phrase")
    profile = InterestProfile.objects.create(
        user=user, keywords=keywords, excluded_keywords=excluded, countries=list(countries)
    )
    profile.stages.set(ValueChainStage.objects.filter(slug__in=stages))
    profile.modalities.set(Modality.objects.filter(slug__in=modalities))
    profile.therapeutic_areas.set(TherapeuticArea.objects.filter(slug__in=areas))
    profile.followed_actors.set(actors)
    return profile


@pytest.fixture
def world(cartography):
    """Items, news and profiles covering each kind of interest, excluded words, accents
    and case, duplicates, a text longer than one keyword term, feedback."""
    lyon = ActorPageFactory(parent=cartography, title="Lyon Biologics")
    lisbon = ActorPageFactory(parent=cartography, title="Lisbon Cells", country="PT")
    wire, other = SourceFactory(name="BioPharma Wire"), SourceFactory(name="Other Wire")
    items = SimpleNamespace(
        evry=WatchItemFactory(
            title="Évry: NOUVELLE usine de Vaccins", modalities=["vaccines"], countries=["FR"]
        ),
        perfusion=WatchItemFactory(
            title="Perfusion at SCALE in a 2000 L bioreactor", stages=["production"]
        ),
        lisbon=WatchItemFactory(
            title="Lisbon expands CAR-T capacity",
            source=other,
            modalities=["cell-therapies"],
            countries=["PT"],
            actors=[lisbon],
        ),
        lyon=WatchItemFactory(title="Lyon Biologics raises funds", actors=[lyon]),
        recall=WatchItemFactory(
            title="Vaccine RECALL in Belgium",
            source=wire,
            modalities=["vaccines"],
            countries=["BE", "CH"],
        ),
        cells=WatchItemFactory(title="Unrelated cell therapy news", modalities=["cell-therapies"]),
        oncology=WatchItemFactory(
            title="Oncology trial",
            source=other,
            therapeutic_areas=["oncology"],
            summary="Cancérologie à Lyon.",
        ),
        duplicate=WatchItemFactory(title="Perfusion at scale in a 2000 L bioreactor", source=other),
        # Its keyword sits past the first keyword piece of its text.
        report=WatchItemFactory(
            title="Long report", summary="data " * 2000 + "on perfusion kinetics"
        ),
        nothing=WatchItemFactory(title="Nothing here", countries=["DE"]),
        ai=WatchItemFactory(title="AI speeds up process development"),
    )
    WatchItem.objects.filter(pk=items.duplicate.pk).update(duplicate_of=items.perfusion)
    items.duplicate.refresh_from_db()

    index = ensure_news(PortalHomePage.objects.get())
    news = SimpleNamespace(
        evry=NewsPageFactory(
            parent=index, title="Vaccines: a new plant near Évry", modalities=["vaccines"]
        ),
        workshop=NewsPageFactory(
            parent=index, title="Perfusion workshop", summary="About perfusion and CAR-T."
        ),
        fair=NewsPageFactory(
            parent=index, title="Lyon Biologics at the fair", related_actors=[lyon]
        ),
        recall=NewsPageFactory(
            parent=index, title="Recall of a vaccine batch", modalities=["vaccines"]
        ),
        portugal=NewsPageFactory(parent=index, title="Portuguese cluster news", countries=["PT"]),
        oncology=NewsPageFactory(
            parent=index, title="Oncology day", therapeutic_areas=["oncology"], tags=["events"]
        ),
        draft=NewsPageFactory(parent=index, title="Draft about perfusion", live=False),
    )

    profiles = SimpleNamespace(
        keywords=make_profile("keywords", keywords="perfusion\nÉvry\nCell Therapy\ncar-t"),
        countries=make_profile("countries", countries=["PT", "BE"]),
        excluded=make_profile("excluded", modalities=["vaccines"], excluded="RECALL"),
        followed=make_profile("followed", actors=[lyon]),
        several=make_profile(
            "several",
            stages=["production"],
            areas=["oncology"],
            countries=["FR"],
            keywords="bioreactor",
            actors=[lisbon],
        ),
        # Below three characters a keyword is matched by wildcard, not by trigrams.
        short=make_profile("short", keywords="AI"),
        empty=make_profile("empty"),
        only_excluded=make_profile("only_excluded", excluded="vaccine"),
    )
    # "Not relevant": hides the item, and lowers the rest of its source for this member.
    ItemFeedback.objects.create(user=profiles.several.user, item=items.lisbon)
    return SimpleNamespace(items=items, news=news, profiles=profiles, lyon=lyon, lisbon=lisbon)


@pytest.fixture
def indexed(world, search_cluster):
    """The world in freshly built indexes, as a deployment builds them (the two
    profiles without interests are not stored)."""
    output = StringIO()
    call_command("search_rebuild", *WATCH_INDEXES, stdout=output)
    assert f"{SEARCH_PREFIX}-watch_profiles: 6 documents" in output.getvalue()
    return world


def all_profiles(world):
    return [InterestProfile.objects.get(pk=p.pk) for p in vars(world.profiles).values()]


def scores(queryset) -> dict[int, int]:
    return {item.pk: item.score for item in queryset}


def test_items_for_equals_the_database_matcher(indexed, caplog):
    caplog.set_level(logging.WARNING, logger=SEARCH_LOGGER)
    items, profiles = indexed.items, indexed.profiles
    for profile in all_profiles(indexed):
        expected = scores(DatabaseMatcher().items_for(profile))
        assert scores(PercolatorMatcher().items_for(profile)) == expected, profile.user.username
        # The stored query alone selects the same items (feedback is the database's).
        rejected = set(profile.user.itemfeedback_set.values_list("item_id", flat=True))
        assert cluster_item_ids_for(profile) - rejected == set(expected)

    by_name = {p.user.username: p for p in all_profiles(indexed)}
    keyword_hits = scores(PercolatorMatcher().items_for(by_name["keywords"]))
    assert set(keyword_hits) == {
        items.evry.pk,  # "Évry" typed with its accent, item text folded
        items.perfusion.pk,  # "SCALE" and "perfusion": case does not matter
        items.lisbon.pk,  # "car-t" folds to "car t"
        items.cells.pk,
        items.report.pk,  # the keyword is in the second piece of a long text
    }  # never the duplicate
    several = scores(PercolatorMatcher().items_for(by_name["several"]))
    assert several[items.perfusion.pk] == 2  # production + "bioreactor"
    assert several[items.oncology.pk] == 0  # oncology, minus one: its source was rejected
    assert items.lisbon.pk not in several  # marked not relevant
    assert set(scores(PercolatorMatcher().items_for(by_name["excluded"]))) == {items.evry.pk}
    assert set(scores(PercolatorMatcher().items_for(by_name["short"]))) == {
        items.ai.pk,
        items.lyon.pk,  # a substring: "raises"
    }
    assert scores(PercolatorMatcher().items_for(profiles.empty)) == {}
    assert scores(PercolatorMatcher().items_for(profiles.only_excluded)) == {}
    # The cluster answered every call.
    assert not breaker_open()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_items_for_keeps_the_database_order_and_later_filters(indexed):
    profile = indexed.profiles.several
    ordered = ["-score", "-published_at", "-pk"]
    database = DatabaseMatcher().items_for(profile).filter(source__name="BioPharma Wire")
    cluster = PercolatorMatcher().items_for(profile).filter(source__name="BioPharma Wire")
    assert list(cluster.order_by(*ordered).values_list("pk", "score")) == list(
        database.order_by(*ordered).values_list("pk", "score")
    )


def test_news_for_equals_the_database_matcher(indexed):
    news = indexed.news
    for profile in all_profiles(indexed):
        expected = list(DatabaseMatcher().news_for(profile))
        assert list(PercolatorMatcher().news_for(profile)) == expected, profile.user.username
        assert cluster_news_ids_for(profile) == {page.pk for page in expected}

    by_name = {p.user.username: p for p in all_profiles(indexed)}
    assert set(PercolatorMatcher().news_for(by_name["keywords"])) == {
        news.evry,  # "Évry" in the title
        news.workshop,  # "perfusion", and "CAR-T" in the summary; not the draft
    }
    assert set(PercolatorMatcher().news_for(by_name["excluded"])) == {news.evry}


def test_profiles_for_items_percolates_in_batches_and_pages(indexed, monkeypatch):
    items = list(WatchItem.objects.order_by("pk"))
    expected = DatabaseMatcher().profiles_for_items(items)
    assert PercolatorMatcher().profiles_for_items(items) == expected

    # Batches of 3 items and pages of 2 profiles: every batch and page boundary crossed.
    monkeypatch.setattr(percolator, "PERCOLATE_BATCH", 3)
    monkeypatch.setattr(percolator, "PERCOLATE_PAGE", 2)
    assert percolator.cluster_profiles_for_items(items) == expected

    profiles = indexed.profiles
    assert expected[indexed.items.perfusion.pk] == {profiles.keywords.pk, profiles.several.pk}
    assert expected[indexed.items.recall.pk] == {profiles.countries.pk}  # "recall" excluded
    assert expected[indexed.items.nothing.pk] == set()
    assert PercolatorMatcher().profiles_for_items([]) == {}


def test_site_search_ranks_items_in_english_and_french(indexed):
    items = indexed.items
    assert cluster_item_ids("bioreactors") == [items.perfusion.pk]  # not its duplicate
    assert cluster_item_ids("usines vaccin") == [items.evry.pk]  # French stemming
    assert cluster_item_ids("evry") == [items.evry.pk]  # typed without the accent
    assert cluster_item_ids("cancerologie") == [items.oncology.pk]
    assert cluster_item_ids("   ") == []


def percolator_ids(client) -> set[int]:
    alias = f"{SEARCH_PREFIX}-watch_profiles"
    client.indices.refresh(index=alias)
    hits = client.search(index=alias, body={"query": {"match_all": {}}, "size": 100})
    return {int(hit["_id"]) for hit in hits["hits"]["hits"]}


def assert_same_matches(client):
    client.indices.refresh(index=f"{SEARCH_PREFIX}-watch_profiles")
    items = list(WatchItem.objects.order_by("pk"))
    assert percolator.cluster_profiles_for_items(items) == DatabaseMatcher().profiles_for_items(
        items
    )


def test_profile_changes_reach_the_percolator(
    indexed, search_cluster, django_capture_on_commit_callbacks
):
    profiles, items = indexed.profiles, indexed.items
    with_interests = {p.pk for p in vars(profiles).values()} - {
        profiles.empty.pk,
        profiles.only_excluded.pk,
    }
    assert percolator_ids(search_cluster) == with_interests

    with django_capture_on_commit_callbacks(execute=True):
        profiles.empty.keywords = "kinetics"
        profiles.empty.save()
    assert percolator_ids(search_cluster) == with_interests | {profiles.empty.pk}
    assert (
        profiles.empty.pk in percolator.cluster_profiles_for_items([items.report])[items.report.pk]
    )

    with django_capture_on_commit_callbacks(execute=True):
        profiles.countries.countries = []
        profiles.countries.save()  # no interest left: out of the index
        indexed.lyon.followers.add(profiles.only_excluded)  # from the actor's side
        profiles.several.stages.clear()
        Modality.objects.get(slug="vaccines").interestprofile_set.clear()  # other side
    assert percolator_ids(search_cluster) == (with_interests | {profiles.empty.pk}) - {
        profiles.countries.pk,
        profiles.excluded.pk,  # vaccines were its only interest
    } | {profiles.only_excluded.pk}
    assert_same_matches(search_cluster)

    with django_capture_on_commit_callbacks(execute=True):
        profiles.keywords.user.delete()
    assert profiles.keywords.pk not in percolator_ids(search_cluster)
    assert_same_matches(search_cluster)

    # The digest run's bookkeeping changes no match and queues nothing.
    with django_capture_on_commit_callbacks() as callbacks:
        profiles.followed.save(update_fields=["last_digest_at"])
    assert callbacks == []


def test_a_dead_cluster_gives_the_database_answer(world, closed_port, caplog):
    caplog.set_level(logging.WARNING, logger=SEARCH_LOGGER)
    profile = world.profiles.several
    items = list(WatchItem.objects.order_by("pk"))

    assert scores(PercolatorMatcher().items_for(profile)) == scores(
        DatabaseMatcher().items_for(profile)
    )
    faults = [r for r in caplog.records if "search cluster fault" in r.getMessage()]
    assert len(faults) == 1 and faults[0].levelno == logging.WARNING
    assert breaker_open()
    # Meanwhile the database answers at once, without asking the cluster again.
    assert list(PercolatorMatcher().news_for(profile)) == list(DatabaseMatcher().news_for(profile))
    assert PercolatorMatcher().profiles_for_items(items) == DatabaseMatcher().profiles_for_items(
        items
    )
    assert len([r for r in caplog.records if "search cluster fault" in r.getMessage()]) == 1


def test_a_missing_index_falls_back_too(world, search_cluster, caplog):
    caplog.set_level(logging.WARNING, logger=SEARCH_LOGGER)
    items = list(WatchItem.objects.order_by("pk"))
    assert PercolatorMatcher().profiles_for_items(items) == DatabaseMatcher().profiles_for_items(
        items
    )
    assert any("search cluster fault" in r.getMessage() for r in caplog.records)


@pytest.mark.usefixtures("fast_fetch_limits")
def test_ingestion_indexes_new_items(
    search_cluster, feed_server, cartography, django_capture_on_commit_callbacks
):
    indexes.rebuild("watch_items")
    source = Source.objects.create(
        name="Feed", url=feed_server.serve("/rss.xml", file="valid_rss.xml")
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = ingest_source(source)
    assert report.new == 3
    assert len(callbacks) == 1  # one index update for the whole source

    alias = f"{SEARCH_PREFIX}-watch_items"
    search_cluster.indices.refresh(index=alias)
    hits = search_cluster.search(index=alias, body={"query": {"match_all": {}}, "size": 10})
    assert {int(hit["_id"]) for hit in hits["hits"]["hits"]} == set(
        WatchItem.objects.values_list("pk", flat=True)
    )
    french = WatchItem.objects.get(title__startswith="Nouvelle usine")
    assert cluster_item_ids("vaccin") == [french.pk]

    # A second run finds nothing new and indexes nothing more.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert ingest_source(source).new == 0
    assert callbacks == []


def test_deleting_a_source_removes_its_items(
    indexed, search_cluster, django_capture_on_commit_callbacks
):
    other = Source.objects.get(name="Other Wire")
    gone = set(other.items.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        other.delete()
    alias = f"{SEARCH_PREFIX}-watch_items"
    search_cluster.indices.refresh(index=alias)
    hits = search_cluster.search(index=alias, body={"query": {"match_all": {}}, "size": 100})
    indexed_ids = {int(hit["_id"]) for hit in hits["hits"]["hits"]}
    assert indexed_ids == set(WatchItem.objects.values_list("pk", flat=True))
    assert not indexed_ids & gone


def test_long_text_is_cut_in_overlapping_pieces():
    text = "".join(f"{n:05d} " for n in range(4000))  # 24,000 characters
    pieces = keyword_pieces(text)
    assert all(len(piece) <= 8_000 for piece in pieces)
    assert "".join(piece[:6_000] for piece in pieces[:-1]) + pieces[-1] == text
    for start in range(0, len(text) - 2_000, 997):
        word = text[start : start + 2_000]
        assert any(word in piece for piece in pieces)
    assert keyword_pieces("short") == ["short"]


def test_news_query_reads_wildcard_characters_literally(indexed):
    profile = indexed.profiles.empty
    profile.keywords = "*\n?"  # unescaped, either would match every news item
    profile.save()
    assert cluster_news_ids_for(profile) == set()
    assert list(DatabaseMatcher().news_for(profile)) == []


def test_the_matcher_follows_the_cluster_setting(settings):
    from cobioe_cms.watch.matching import DatabaseMatcher, get_matcher
    from cobioe_cms.watch.percolator import PercolatorMatcher

    settings.COBIOE_WATCH_MATCHER = ""
    settings.COBIOE_SEARCH = {"URL": ""}
    assert type(get_matcher()) is DatabaseMatcher

    settings.COBIOE_SEARCH = {"URL": "http://127.0.0.1:9200"}
    assert type(get_matcher()) is PercolatorMatcher

    settings.COBIOE_WATCH_MATCHER = "cobioe_cms.watch.matching.DatabaseMatcher"
    assert type(get_matcher()) is DatabaseMatcher
