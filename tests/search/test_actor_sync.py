"""The actors' index follows the page tree: publish, unpublish, delete, move, view
restrictions, imports and merges queue an update that runs after the commit, against a
real node. With no cluster nothing is queued; with a dead one the change still saves."""

import logging

import pytest
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction

from cobioe_cms.actors.duplicates.merge import merge_actors
from cobioe_cms.actors.models import ActorPage, CartographyPage
from cobioe_cms.actors.signals import actors_imported
from cobioe_cms.search import indexes
from tests.factories.actors import ActorPageFactory

from .conftest import PREFIX

ALIAS = f"{PREFIX}-actors"


def indexed_ids(client) -> set[int]:
    client.indices.refresh(index=ALIAS)
    hits = client.search(index=ALIAS, body={"query": {"match_all": {}}, "size": 1000})
    return {int(hit["_id"]) for hit in hits["hits"]["hits"]}


def indexed_path(client, actor) -> str:
    return client.get(index=ALIAS, id=str(actor.pk))["_source"]["path"]


@pytest.fixture
def built(search_cluster, cartography):
    """An index with one actor in it, built before the test's changes."""
    first = ActorPageFactory(parent=cartography, title="Alpha Biologics")
    indexes.rebuild("actors")
    return first


@pytest.mark.django_db
def test_publish_and_unpublish_update_the_index(
    built, search_cluster, cartography, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = ActorPageFactory(parent=cartography, title="Beta Vectors", live=False)
    assert indexed_ids(search_cluster) == {built.pk}  # a draft stays out

    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert indexed_ids(search_cluster) == {built.pk, draft.pk}

    with django_capture_on_commit_callbacks(execute=True):
        ActorPage.objects.get(pk=draft.pk).unpublish()
    assert indexed_ids(search_cluster) == {built.pk}


@pytest.mark.django_db
def test_a_published_edit_is_reindexed(built, search_cluster, django_capture_on_commit_callbacks):
    page = built.get_latest_revision_as_object()
    page.title = "Alpha Biologics Renamed"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    source = search_cluster.get(index=ALIAS, id=str(built.pk))["_source"]
    assert source["title"] == "Alpha Biologics Renamed"


@pytest.mark.django_db
def test_delete_removes_the_document(built, search_cluster, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ActorPage.objects.get(pk=built.pk).delete()

    assert indexed_ids(search_cluster) == set()


@pytest.mark.django_db
def test_moving_a_cartography_reindexes_its_actors(
    built, search_cluster, cartography, django_capture_on_commit_callbacks
):
    home = cartography.get_parent()
    other = home.add_child(instance=CartographyPage(title="Nordic map", slug="nordic"))
    with django_capture_on_commit_callbacks(execute=True):
        ActorPage.objects.get(pk=built.pk).move(other, pos="last-child")

    moved = ActorPage.objects.get(pk=built.pk)
    assert moved.path.startswith(other.path)
    assert indexed_path(search_cluster, built) == moved.path


@pytest.mark.django_db
def test_a_view_restriction_takes_actors_out_and_back(
    built, search_cluster, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=built, restriction_type=PageViewRestriction.LOGIN
        )
    assert indexed_ids(search_cluster) == set()

    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert indexed_ids(search_cluster) == {built.pk}


@pytest.mark.django_db
def test_imports_and_merges_update_the_index(
    built, search_cluster, cartography, django_capture_on_commit_callbacks
):
    # Profiles created in bulk (as an import makes them) send no page signals: the
    # import's own signal carries them. (Outside the capture, this one's callbacks
    # never run either.)
    other = ActorPageFactory(parent=cartography, title="Alpha Biologics SAS")
    assert indexed_ids(search_cluster) == {built.pk}
    with django_capture_on_commit_callbacks(execute=True):
        actors_imported.send(sender=None, actors=[other], merged=[], user=None, record=None)
    assert indexed_ids(search_cluster) == {built.pk, other.pk}

    with django_capture_on_commit_callbacks(execute=True):
        merge_actors(kept=built, removed=other, user=None)
    assert indexed_ids(search_cluster) == {built.pk}  # the merged-away profile left


@pytest.mark.django_db
def test_no_cluster_queues_nothing(no_search, cartography, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        ActorPageFactory(parent=cartography, title="Gamma Cells")

    # Other apps may queue their own work (the panorama's open-data files); the search
    # queues none without a cluster.
    searching = [cb for cb in callbacks if cb.__module__.startswith("cobioe_cms.search")]
    assert searching == []
    assert ActorPage.objects.get(title="Gamma Cells").live


@pytest.mark.django_db
def test_a_dead_cluster_never_blocks_a_publish(
    closed_port, cartography, django_capture_on_commit_callbacks, caplog, monkeypatch
):
    monkeypatch.setattr(indexes, "_alias_ready", lambda client, name: True)
    with (
        caplog.at_level(logging.WARNING, logger="cobioe_cms.search"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actor = ActorPageFactory(parent=cartography, title="Delta Plasmids")

    assert ActorPage.objects.get(pk=actor.pk).live
    assert any("not updated" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_with_the_database_task_backend_updates_wait_for_the_worker(
    built, search_cluster, cartography, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        late = ActorPageFactory(parent=cartography, title="Epsilon Bio")

    assert indexed_ids(search_cluster) == {built.pk}
    queued = DBTaskResult.objects.get(task_path="cobioe_cms.search.tasks.sync_documents")
    assert queued.args_kwargs["args"] == ["actors", [late.pk]]
