"""The header search finds what bulk writes add, with nothing run by hand afterwards:
the demo generator, the admin's import and its duplicate merge leave Wagtail's database
search index as complete as page-by-page publishing would.

The test settings turn Wagtail's automatic indexing off; these tests turn it on, as a
running site has it, before anything is written."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from wagtail.search.models import IndexEntry

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.search import indexes
from cobioe_cms.watch.models import WatchItem
from tests.factories import ActorPageFactory, UserFactory
from tests.onboarding.import_files import start_import, xlsx_bytes
from tests.onboarding.test_import_admin import decisions_post, preview_url

from .conftest import PREFIX


@pytest.fixture(autouse=True)
def auto_index(settings):
    """Wagtail's database backend, updated on every save (the site's default)."""
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": True}
    }


@pytest.fixture
def editor_client(db):
    """An editor signed in to the admin (the visitor's ``client`` stays anonymous)."""
    editor = Client()
    editor.force_login(UserFactory(username="editor", groups=["Editors"]))
    return editor


def found(client, query: str) -> list[int]:
    """Primary keys of the organisations the header search shows for ``query``."""
    response = client.get("/search/", {"q": query, "kind": "actors"})
    assert response.status_code == 200
    (actors,) = [r for r in response.context["search"].results if r.section.key == "actors"]
    return [hit.pk for hit in actors.page.object_list] if actors.page else []


def actor_entries() -> int:
    return IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ActorPage)
    ).count()


@pytest.mark.django_db
def test_demo_actors_are_found_by_name_city_and_modality(client):
    call_command("load_demo", actors=30, seed=1, stdout=None)

    demo = ActorPage.objects.filter(is_demo=True).exclude(city="")
    # The actor whose city is the rarest, so that it shows on the first page of results.
    cities = dict(demo.values_list("city").annotate(n=Count("pk")).values_list("city", "n"))
    actor = min(demo.order_by("pk"), key=lambda a: cities[a.city])
    assert actor.pk in found(client, actor.title)
    assert actor.pk in found(client, actor.city)

    vaccines = demo.filter(modalities__slug="vaccines").order_by("pk")
    assert vaccines.exists()
    assert set(found(client, "vaccines")) >= set(vaccines.values_list("pk", flat=True)[:20])


@pytest.mark.django_db
def test_loading_the_demo_again_duplicates_no_index_entry(cartography):
    call_command("load_demo", actors=30, seed=1, stdout=None)
    actors = ActorPage.objects.count()
    assert actor_entries() == actors  # every actor, consortium and demo alike, once

    call_command("load_demo", actors=30, seed=1, stdout=None)  # nothing to do
    assert actor_entries() == actors
    call_command("load_demo", actors=30, seed=1, replace=True, stdout=None)  # regenerated
    assert ActorPage.objects.count() == actors
    assert actor_entries() == actors
    entries = IndexEntry.objects.values("content_type", "object_id")
    assert entries.count() == entries.distinct().count()
    live_ids = set(ActorPage.objects.values_list("pk", flat=True))
    indexed = IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ActorPage)
    ).values_list("object_id", flat=True)
    assert {int(pk) for pk in indexed} == live_ids  # the removed demo actors are gone


@pytest.mark.django_db
def test_actors_created_by_an_import_are_found(
    editor_client, client, cartography, django_capture_on_commit_callbacks
):
    content = xlsx_bytes(
        [
            ["Name", "Country", "City", "Summary"],
            ["Quintessa Biologics", "Portugal", "Coimbra", "Plasmid DNA for vaccines."],
        ]
    )
    record = start_import(editor_client, content, "list.xlsx")
    # The import indexes its new profiles once its transaction has committed.
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            preview_url(record), decisions_post(record, action="apply", publish="on")
        )
    actor = ActorPage.objects.get(title="Quintessa Biologics")
    assert actor.live

    assert found(client, "Quintessa Biologics") == [actor.pk]
    assert found(client, "Coimbra") == [actor.pk]
    assert found(client, "plasmid") == [actor.pk]


@pytest.mark.django_db
def test_a_merge_leaves_the_kept_profile_found_with_what_it_gained(
    editor_client, client, cartography
):
    kept = ActorPageFactory(parent=cartography, title="Genopole", slug="genopole", city="Évry")
    removed = ActorPageFactory(
        parent=cartography,
        title="GENOPOLE SAS",
        slug="genopole-sas",
        city="Évry",
        acronym="GNPL",
        summary="The biocluster of Evry, an incubator.",
    )
    assert found(client, "GNPL") == [removed.pk]
    assert set(found(client, "Genopole")) == {kept.pk, removed.pk}

    merge_url = reverse("cobioe_actor_import:merge", args=[kept.pk, removed.pk])
    response = editor_client.post(merge_url, {"keep": kept.pk})
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.acronym == "GNPL"  # the merge filled the kept profile's empty fields

    assert found(client, "Genopole") == [kept.pk]
    assert found(client, "GNPL") == [kept.pk]
    assert found(client, "incubator") == [kept.pk]
    assert found(client, "SAS") == []


# -- with a cluster: the demo loads queue its indexes as publishing does ------------------


def cluster_ids(client, name: str) -> set[int]:
    alias = f"{PREFIX}-{name}"
    client.indices.refresh(index=alias)
    hits = client.search(index=alias, body={"query": {"match_all": {}}, "size": 1000})
    return {int(hit["_id"]) for hit in hits["hits"]["hits"]}


@pytest.mark.django_db
def test_demo_loads_reach_the_cluster_indexes(
    search_cluster, cartography, django_capture_on_commit_callbacks
):
    indexes.rebuild("actors")
    indexes.rebuild("watch_items")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", actors=30, seed=1, stdout=None)
    actors = set(ActorPage.objects.live().values_list("pk", flat=True))
    assert len(actors) == 35
    assert cluster_ids(search_cluster, "actors") == actors

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_watch", count=12, seed=1, stdout=None)
    items = set(WatchItem.objects.values_list("pk", flat=True))
    assert len(items) == 12
    assert cluster_ids(search_cluster, "watch_items") == items
