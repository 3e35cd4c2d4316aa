"""The demo-data generator: deterministic, bulk, and a valid page tree."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.models import OrganisationType
from cobioe_cms.demo.actors import generate_actors, remove_demo_actors


def snapshot(cartography):
    return list(
        ActorPage.objects.child_of(cartography)
        .filter(is_demo=True)
        .order_by("path")
        .values_list("title", "country", "city", "organisation_type__slug", "verified")
    )


@pytest.mark.django_db
def test_same_seed_gives_same_actors(cartography):
    generate_actors(cartography, 50, seed=7)
    first = snapshot(cartography)
    stages_first = sorted(
        ActorPage.stages.through.objects.filter(actorpage__is_demo=True).values_list(
            "actorpage__title", "valuechainstage__slug"
        )
    )
    remove_demo_actors(cartography)
    generate_actors(cartography, 50, seed=7)
    assert snapshot(cartography) == first
    stages_again = sorted(
        ActorPage.stages.through.objects.filter(actorpage__is_demo=True).values_list(
            "actorpage__title", "valuechainstage__slug"
        )
    )
    assert stages_again == stages_first
    remove_demo_actors(cartography)
    generate_actors(cartography, 50, seed=8)
    assert snapshot(cartography) != first


@pytest.mark.django_db
def test_bulk_tree_is_valid_and_pages_are_served(cartography, client):
    generate_actors(cartography, 120, seed=1)
    cartography.refresh_from_db()
    assert cartography.numchild == 120
    problems = Page.find_problems()
    assert all(not ids for ids in problems), problems
    actor = ActorPage.objects.child_of(cartography).live().last()
    response = client.get(actor.url)
    assert response.status_code == 200
    assert "Demo data: this profile is synthetic" in response.content.decode()
    assert actor.search_text  # found by the text query
    # A normal page can still be added after a bulk load.
    kind = OrganisationType.objects.get(slug="cro")
    cartography.add_child(
        instance=ActorPage(title="After", slug="after", country="FR", organisation_type=kind)
    )
    assert Page.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_keeps_real_profiles(cartography):
    out = io.StringIO()
    call_command("load_demo", actors=20, seed=1, stdout=out)
    assert ActorPage.objects.filter(is_demo=True).count() == 20
    assert ActorPage.objects.filter(is_demo=False, slug="genopole").exists()
    call_command("load_demo", actors=20, seed=1, stdout=out)
    assert "20 already loaded" in out.getvalue()
    assert ActorPage.objects.filter(is_demo=True).count() == 20
    assert ActorPage.objects.filter(slug="genopole").count() == 1
    call_command("load_demo", actors=5, seed=1, stdout=out)
    assert ActorPage.objects.filter(is_demo=True).count() == 5
    assert ActorPage.objects.filter(slug="genopole").count() == 1


@pytest.mark.django_db
def test_load_demo_rejects_absurd_counts():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("load_demo", actors=-1, stdout=io.StringIO())
