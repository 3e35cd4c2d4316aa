"""Duplicate detection: the name/website/place engine, rows of a file against existing
actors and against each other, and the admin's duplicate finder with its merge."""

import pytest
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageLogEntry

from cobioe_cms.actors.duplicates.finder import (
    THRESHOLD,
    DuplicateIndex,
    Entity,
    WordWeights,
    compare,
    duplicate_pairs,
    normalise_name,
    website_domain,
)
from cobioe_cms.actors.models import ActorPage
from cobioe_cms.actors.signals import actors_merged
from cobioe_cms.onboarding.analysis import analyse_rows
from tests.factories import ActorPageFactory, UserFactory

from .import_files import existing_actors


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("Genopole SAS", "genopole"),
        ("GENOPOLE", "genopole"),
        ("Genopole S.A.S.", "genopole"),
        ("The Genopole", "genopole"),
        ("Lyon Biologics GmbH & Co. KG", "lyon biologics"),
        ("Øresund Biologics AB", "øresund biologics"),
        ("A.B.C. Bio", "abc bio"),
        ("SA", "sa"),
    ],
)
def test_names_are_normalised(name, normal):
    assert normalise_name(name) == normal


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.genopole.fr/en/", "genopole.fr"),
        ("genopole.fr", "genopole.fr"),
        ("WWW.Genopole.FR", "genopole.fr"),
        ("https://www.linkedin.com/company/x", ""),
        ("http://[broken", ""),
        ("", ""),
    ],
)
def test_website_domains(url, domain):
    assert website_domain(url) == domain


def score(a, b, weights=None):
    result = compare(a, b, weights or WordWeights([a.tokens, b.tokens]))
    return result[0] if result else 0


def test_near_duplicate_names_score_above_the_threshold():
    assert score(Entity(1, "Genopole SAS"), Entity(2, "GENOPOLE")) == 80
    assert score(Entity(1, "Lyon Biologics"), Entity(2, "Lyon Biologic")) >= THRESHOLD
    assert score(Entity(1, "Genopole"), Entity(2, "Genopoel")) >= THRESHOLD
    assert score(Entity(1, "Biologics Lyon"), Entity(2, "Lyon Biologics")) == 80
    assert score(Entity(1, "Geno pole"), Entity(2, "Genopole")) >= THRESHOLD


def test_website_and_city_add_to_the_score():
    a = Entity(1, "Genopole", "https://www.genopole.fr", "Évry", "FR")
    b = Entity(2, "Genopole Biocluster", "genopole.fr/en", "Evry", "fr")
    result = compare(a, b, WordWeights([a.tokens, b.tokens]))
    assert result is not None
    assert result[0] == 68 + 15 + 5
    assert result[1] == ["similar name (85 %)", "same website (genopole.fr)", "same city (Évry)"]


def test_different_organisations_sharing_common_words_are_not_duplicates():
    names = [f"{n} University Hospital" for n in ("Lyon", "Nantes", "Lille", "Rennes")]
    names += ["CHU de Nantes", "CHU de Rennes", "Biovec Therapeutics", "Vaxgen Therapeutics"]
    entities = [Entity(i, name) for i, name in enumerate(names)]
    assert duplicate_pairs(entities) == []


def test_same_domain_alone_is_not_enough():
    a = Entity(1, "Institut Curie", "https://institut-curie.org", "Paris", "FR")
    b = Entity(2, "Cell Therapy Unit", "https://institut-curie.org/ctu", "Paris", "FR")
    assert score(a, b) == 0


def test_index_finds_candidates_by_rare_word_prefix_and_domain():
    actors = [Entity(i, f"Filler Org {i}") for i in range(1, 500)]  # "filler", "org" too common
    actors += [
        Entity(1001, "Genopole"),
        Entity(1002, "Yposkesi", "https://www.yposkesi.com"),
        Entity(1003, "Lyon Biologics"),
    ]
    index = DuplicateIndex(actors)
    assert [m.key for m in index.matches(Entity(0, "GENOPOLE SAS"))] == [1001]
    assert [m.key for m in index.matches(Entity(0, "Yposkesi Gene Therapy", "yposkesi.com"))] == [
        1002
    ]
    assert [m.key for m in index.matches(Entity(0, "Lyon Biologic"))] == [1003]
    assert index.matches(Entity(0, "Unrelated Name")) == []
    # Large blocks ("org") are not scanned, so candidates stay few.
    assert len(index.candidate_keys(Entity(0, "Filler Org 7"))) < 50


@pytest.mark.django_db
def test_rows_are_compared_with_actors_and_earlier_rows(cartography):
    actors = existing_actors(
        cartography,
        [
            {"title": "GENOPOLE", "website": "https://www.genopole.fr", "city": "Évry"},
            {"title": "Lyon Biologics", "city": "Lyon"},
        ],
    )
    rows = [
        {"line": 2, "cells": ["Genopole SAS", "FR", "genopole.fr", "Evry"]},
        {"line": 3, "cells": ["Brand New Bio", "DE", "", "Berlin"]},
        {"line": 4, "cells": ["BRAND NEW BIO GmbH", "DE", "", "Berlin"]},
        {"line": 5, "cells": ["", "DE", "", ""]},
        {"line": 6, "cells": ["Lyon-Biologics", "FR", "", "Lyon"]},
    ]
    mapping = {"title": 0, "country": 1, "website": 2, "city": 3}
    entries = analyse_rows(rows, mapping)
    genopole, lyon = actors
    assert entries[0]["candidates"][0]["id"] == genopole.pk
    assert entries[0]["candidates"][0]["score"] == 100
    assert entries[0]["candidates"][0]["reasons"] == [
        "same name",
        "same website (genopole.fr)",
        "same city (Évry)",
    ]
    assert entries[1]["candidates"] == [] and entries[1]["same_as"] is None
    assert entries[2]["same_as"] == 1 and entries[2]["same_as_line"] == 3
    assert entries[3]["errors"] == ["The name is missing."]
    assert entries[4]["candidates"][0]["id"] == lyon.pk


@pytest.mark.django_db
def test_merged_actors_are_not_candidates(cartography):
    kept, gone = existing_actors(cartography, [{"title": "Twin Bio"}, {"title": "Twin Bio SA"}])
    ActorPage.objects.filter(pk=gone.pk).update(merged_into=kept)
    entries = analyse_rows([{"line": 2, "cells": ["TWIN BIO", "FR"]}], {"title": 0, "country": 1})
    assert [c["id"] for c in entries[0]["candidates"]] == [kept.pk]


# -- the admin's duplicate finder ---------------------------------------------------


@pytest.fixture
def twins(cartography):
    kept = ActorPageFactory(
        parent=cartography,
        title="Genopole",
        slug="genopole",
        city="Évry",
        website="https://www.genopole.fr",
        stages=["production"],
        keywords=["cluster"],
    )
    removed = ActorPageFactory(
        parent=cartography,
        title="GENOPOLE SAS",
        slug="genopole-sas",
        city="Évry",
        acronym="GNP",
        summary="The biocluster of Évry.",
        contact_email="contact@genopole.fr",
        stages=["training"],
        modalities=["cell-therapies"],
        keywords=["cluster", "incubator"],
    )
    ActorPageFactory(parent=cartography, title="Unrelated Vaccines", city="Lyon")
    return kept, removed


def test_finder_lists_pairs_and_merge_keeps_history(editor_client, editor, twins):
    kept, removed = twins
    response = editor_client.get(reverse("cobioe_actor_import:duplicates"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 pair of profiles look like the same organisation" in html
    merge_url = reverse("cobioe_actor_import:merge", args=[kept.pk, removed.pk])
    assert merge_url in html

    choose = editor_client.get(merge_url)
    assert choose.status_code == 200
    assert f"?keep={kept.pk}" in choose.content.decode()

    confirm = editor_client.get(f"{merge_url}?keep={kept.pk}")
    page = confirm.content.decode()
    assert "The biocluster of Évry." in page
    assert "contact@genopole.fr" in page
    assert "incubator" in page
    assert ActorPage.objects.get(pk=kept.pk).acronym == ""  # nothing saved by the preview

    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    actors_merged.connect(receiver)
    try:
        response = editor_client.post(merge_url, {"keep": kept.pk})
    finally:
        actors_merged.disconnect(receiver)
    assert response.status_code == 302

    kept = ActorPage.objects.get(pk=kept.pk)
    removed = ActorPage.objects.get(pk=removed.pk)
    assert kept.live and not kept.has_unpublished_changes
    assert kept.acronym == "GNP" and kept.summary == "The biocluster of Évry."
    assert kept.contact_email == "contact@genopole.fr"
    assert kept.website == "https://www.genopole.fr"  # not overwritten
    assert set(kept.stages.values_list("slug", flat=True)) == {"production", "training"}
    assert set(kept.modalities.values_list("slug", flat=True)) == {"cell-therapies"}
    assert set(kept.keywords.names()) == {"cluster", "incubator"}
    assert kept.revisions.count() == 2
    assert kept.latest_revision.user == editor
    assert PageLogEntry.objects.filter(page=kept, action="cobioe_actors.merge").exists()

    assert not removed.live
    assert removed.merged_into_id == kept.pk
    assert PageLogEntry.objects.filter(page=removed, action="wagtail.unpublish").exists()
    assert PageLogEntry.objects.filter(page=removed, action="cobioe_actors.merged_into").exists()
    redirect = Redirect.objects.get(old_path="/cartography/genopole-sas")
    assert redirect.redirect_page_id == kept.pk
    assert editor_client.get("/cartography/genopole-sas/").status_code == 301
    assert received == [{"signal": actors_merged, "kept": kept, "removed": removed, "user": editor}]

    # The pair is gone from the list; merging again is refused.
    html = editor_client.get(reverse("cobioe_actor_import:duplicates")).content.decode()
    assert "No likely duplicates." in html
    response = editor_client.post(merge_url, {"keep": kept.pk}, follow=True)
    assert "Nothing was changed." in response.content.decode()


def test_merge_refuses_forged_pairs(editor_client, twins, cartography):
    kept, removed = twins
    unrelated = ActorPage.objects.get(title="Unrelated Vaccines")
    before = ActorPage.objects.get(pk=kept.pk).latest_revision_id
    attempts = [
        (kept.pk, unrelated.pk, kept.pk, "not proposed as duplicates"),
        (kept.pk, cartography.pk, kept.pk, "not actor profiles"),
        (kept.pk, kept.pk, kept.pk, "not actor profiles"),
        (kept.pk, 999_999, kept.pk, "not actor profiles"),
        (kept.pk, removed.pk, unrelated.pk, "Choose which profile to keep"),
        (kept.pk, removed.pk, "", "Choose which profile to keep"),
    ]
    for first, second, keep, message in attempts:
        url = reverse("cobioe_actor_import:merge", args=[first, second])
        response = editor_client.post(url, {"keep": keep}, follow=True)
        assert response.status_code == 200
        assert message in response.content.decode(), (first, second, keep)
    assert ActorPage.objects.get(pk=kept.pk).latest_revision_id == before
    assert ActorPage.objects.get(pk=removed.pk).live
    assert not ActorPage.objects.filter(merged_into__isnull=False).exists()
    assert not Redirect.objects.exists()


def test_merge_into_a_draft_saves_a_draft(editor_client, cartography):
    # Published once, then unpublished: a reviewed profile that is a draft today (a
    # profile never published is no merge candidate: test_merge_security.py).
    kept = ActorPageFactory(parent=cartography, title="Draft Twin")
    ActorPage.objects.get(pk=kept.pk).unpublish()
    removed = ActorPageFactory(parent=cartography, title="Draft Twin Ltd", acronym="DT")
    url = reverse("cobioe_actor_import:merge", args=[kept.pk, removed.pk])
    editor_client.post(url, {"keep": kept.pk})
    kept = ActorPage.objects.get(pk=kept.pk)
    assert not kept.live
    assert kept.acronym == ""  # the filled value waits in the draft revision
    assert kept.get_latest_revision_as_object().acronym == "DT"
    assert ActorPage.objects.get(pk=removed.pk).merged_into_id == kept.pk


@pytest.mark.django_db
def test_finder_and_merge_permissions(client, twins):
    kept, removed = twins
    urls = [
        reverse("cobioe_actor_import:duplicates"),
        reverse("cobioe_actor_import:merge", args=[kept.pk, removed.pk]),
    ]
    admin_only = UserFactory(username="admin_only", perms=["access_admin"])
    member = UserFactory(username="member", email="m@example.org")
    for user in (None, member, admin_only):
        client.logout()
        if user:
            client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 302
        assert client.post(urls[1], {"keep": kept.pk}).status_code == 302
    assert ActorPage.objects.get(pk=removed.pk).merged_into_id is None
    moderator = UserFactory(username="moderator", groups=["Moderators"])
    client.force_login(moderator)
    assert client.get(urls[0]).status_code == 200
