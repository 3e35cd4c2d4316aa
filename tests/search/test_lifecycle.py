"""Versioned indexes behind an alias, zero-downtime rebuilds, one-document updates."""

import re

import pytest
from opensearchpy import helpers as opensearch_helpers

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.search import indexes
from tests.factories.actors import ActorPageFactory

from .conftest import PREFIX

ALIAS = f"{PREFIX}-actors"


def indexed_ids(client) -> list[str]:
    hits = client.search(index=ALIAS, body={"query": {"match_all": {}}, "size": 100})
    return [hit["_id"] for hit in hits["hits"]["hits"]]


def alias_targets(client) -> list[str]:
    return sorted(client.indices.get_alias(name=ALIAS))


@pytest.mark.django_db
def test_rebuild_creates_a_versioned_index_behind_the_alias(search_cluster, cartography):
    ActorPageFactory(parent=cartography, title="Alpha Biologics")
    ActorPageFactory(parent=cartography, title="Draft Biologics", live=False)
    expected = ActorPage.objects.live().public().count()

    result = indexes.rebuild("actors")

    assert re.fullmatch(rf"{ALIAS}-v\d{{20}}", result.index)
    assert alias_targets(search_cluster) == [result.index]
    assert result.indexed == expected
    assert search_cluster.count(index=ALIAS)["count"] == expected
    hits = search_cluster.search(index=ALIAS, body={"query": {"match": {"title": "draft"}}})
    assert hits["hits"]["total"]["value"] == 0  # unpublished actors stay out


@pytest.mark.django_db
def test_second_rebuild_swaps_the_alias_and_drops_the_old_index(
    search_cluster, cartography, monkeypatch
):
    ActorPageFactory(parent=cartography, title="Alpha Biologics")
    first = indexes.rebuild("actors")
    before = search_cluster.count(index=ALIAS)["count"]
    ActorPageFactory(parent=cartography, title="Beta Biologics")

    seen_during_rebuild = []
    real_bulk = opensearch_helpers.bulk

    def bulk_while_searching(client, actions, **kwargs):
        # Readers keep getting the old, complete index while the new one fills.
        seen_during_rebuild.append(search_cluster.count(index=ALIAS)["count"])
        seen_during_rebuild.append(alias_targets(search_cluster))
        return real_bulk(client, actions, **kwargs)

    monkeypatch.setattr(opensearch_helpers, "bulk", bulk_while_searching)
    second = indexes.rebuild("actors")

    assert seen_during_rebuild == [before, [first.index]]
    assert second.index != first.index
    assert second.removed == [first.index]
    assert alias_targets(search_cluster) == [second.index]
    assert not search_cluster.indices.exists(index=first.index)
    assert search_cluster.count(index=ALIAS)["count"] == before + 1


@pytest.mark.django_db
def test_failed_rebuild_keeps_the_live_index(search_cluster, cartography, monkeypatch):
    ActorPageFactory(parent=cartography, title="Alpha Biologics")
    first = indexes.rebuild("actors")

    def broken_bulk(client, actions, **kwargs):
        raise RuntimeError("node fell over")

    monkeypatch.setattr(opensearch_helpers, "bulk", broken_bulk)
    with pytest.raises(RuntimeError):
        indexes.rebuild("actors")

    assert alias_targets(search_cluster) == [first.index]
    assert indexes.versions(search_cluster, "actors") == [first.index]


@pytest.mark.django_db
def test_sync_many_indexes_one_actor_and_ignores_an_unknown_key(search_cluster, cartography):
    indexes.rebuild("actors")
    actor = ActorPageFactory(parent=cartography, title="Gamma Vectors", stages=["fill-finish"])

    assert indexes.sync_many("actors", [actor.pk], refresh=True) == (1, 0)
    source = search_cluster.get(index=ALIAS, id=str(actor.pk))["_source"]
    assert source["title"] == "Gamma Vectors"
    # A sub-stage carries its parent, as in the database.
    assert source["stages"] == ["fill-finish", "production"]

    # A key that was never indexed: nothing to delete, and not an error.
    assert indexes.sync_many("actors", [actor.pk + 10_000], refresh=True) == (0, 0)


@pytest.mark.django_db
def test_sync_many_removes_an_unpublished_actor(search_cluster, cartography):
    actor = ActorPageFactory(parent=cartography, title="Delta Cells")
    indexes.rebuild("actors")
    assert search_cluster.exists(index=ALIAS, id=str(actor.pk))

    actor.unpublish()
    assert indexes.sync_many("actors", [actor.pk], refresh=True) is not None

    assert not search_cluster.exists(index=ALIAS, id=str(actor.pk))


@pytest.mark.django_db
def test_updates_before_the_first_rebuild_create_nothing(search_cluster, cartography):
    actor = ActorPageFactory(parent=cartography, title="Epsilon Cells")

    assert indexes.sync_many("actors", [actor.pk]) is None
    # No index named like the alias was auto-created with a guessed mapping.
    assert not search_cluster.indices.exists(index=ALIAS)


@pytest.mark.django_db
def test_one_rebuild_at_a_time(search_cluster, cartography, monkeypatch):
    ActorPageFactory(parent=cartography, title="Alpha Biologics")
    first = indexes.rebuild("actors")
    real_bulk = opensearch_helpers.bulk
    refused = []

    def bulk_with_a_second_rebuild(client, actions, **kwargs):
        with pytest.raises(indexes.RebuildInProgress, match="still running"):
            indexes.rebuild("actors")
        refused.append(True)
        return real_bulk(client, actions, **kwargs)

    monkeypatch.setattr(opensearch_helpers, "bulk", bulk_with_a_second_rebuild)
    second = indexes.rebuild("actors")
    monkeypatch.setattr(opensearch_helpers, "bulk", real_bulk)

    assert refused == [True]
    assert alias_targets(search_cluster) == [second.index]  # the refused one broke nothing
    assert indexes.versions(search_cluster, "actors") == [second.index]
    assert second.removed == [first.index]
    indexes.rebuild("actors")  # the lock was released


@pytest.mark.django_db
def test_the_lock_of_a_dead_rebuild_is_taken_over(search_cluster, cartography, caplog):
    ActorPageFactory(parent=cartography, title="Alpha Biologics")
    search_cluster.index(
        index=indexes.locks_index(),
        id="actors",
        body={"index": f"{ALIAS}-v1", "started": "2026-01-01T00:00:00+00:00"},
        refresh=True,
    )

    result = indexes.rebuild("actors")

    assert alias_targets(search_cluster) == [result.index]
    assert "taking over the lock of a dead rebuild" in caplog.text


@pytest.mark.django_db
def test_changes_made_during_a_rebuild_reach_the_new_version(
    search_cluster, cartography, monkeypatch
):
    renamed = ActorPageFactory(parent=cartography, title="Alpha Biologics")
    removed = ActorPageFactory(parent=cartography, title="Beta Vectors")
    indexes.rebuild("actors")
    real_bulk = opensearch_helpers.bulk

    def bulk_reading_first(client, actions, **kwargs):
        # The rebuild has read the database (the old title, both actors); then an
        # editor's changes are synced while it is still writing.
        stale = list(actions)
        monkeypatch.setattr(opensearch_helpers, "bulk", real_bulk)
        ActorPage.objects.filter(pk=renamed.pk).update(title="Alpha Biologics Renamed")
        assert indexes.sync_many("actors", [renamed.pk]) == (1, 0)
        return real_bulk(client, stale, **kwargs)

    monkeypatch.setattr(opensearch_helpers, "bulk", bulk_reading_first)
    result = indexes.rebuild("actors")

    source = search_cluster.get(index=ALIAS, id=str(renamed.pk))["_source"]
    assert source["title"] == "Alpha Biologics Renamed"  # not overwritten by the stale read
    assert result.indexed == 1  # the renamed one was already in the new index: a 409, kept
    assert search_cluster.count(index=ALIAS)["count"] == 2
    assert removed.pk in {int(hit) for hit in indexed_ids(search_cluster)}
