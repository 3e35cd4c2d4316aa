"""The cluster answers the cartography's filters exactly as the database builder does,
and ranked full text understands English and French word forms."""

import pytest
from django.http import QueryDict

from cobioe_cms.actors.filters import SORTS, ActorFilter
from cobioe_cms.actors.search_queries import (
    cluster_directory,
    cluster_facet_counts,
    cluster_matching_ids,
    cluster_ranked_ids,
    database_sorts_like_cluster,
)
from cobioe_cms.actors.text_search import ranked, understand_query
from cobioe_cms.demo.actors import generate_actors
from cobioe_cms.search import indexes
from tests.factories.actors import ActorPageFactory

COMBINATIONS = [
    "",
    "country=FR",
    "country=FR&country=DE",
    "country=DE&stage=production",
    "stage=fill-finish&stage=training",
    "modality=monoclonal-antibodies&modality=vaccines&area=oncology&gmp=gmp-certified",
    "type=cdmo&scale=clinical&scale=commercial",
    "q=therap",
    "q=Thérapeutics vec",
    "q=bio&country=FR&verified=1",
    "q=lyon",
    "q=nothing-matches-this",
    "verified=1",
    "verified=1&stage=production&modality=cell-therapies&area=rare-diseases",
]


def database_answer(actor_filter: ActorFilter) -> tuple[set[int], dict[str, dict[str, int]]]:
    ids = set(actor_filter.filtered().values_list("pk", flat=True))
    counts = {
        result.facet.key: {option.value: option.count for option in result.options if option.count}
        for result in actor_filter.facets()
    }
    return ids, counts


@pytest.mark.django_db
def test_cluster_filters_equal_the_database_builder(search_cluster, cartography):
    generate_actors(cartography, 200, seed=3)
    indexes.rebuild("actors")
    non_trivial = 0

    for querystring in COMBINATIONS:
        actor_filter = ActorFilter(QueryDict(querystring), cartography.actors())
        assert not actor_filter.messages, querystring  # every value above is valid
        ids, counts = database_answer(actor_filter)

        assert cluster_matching_ids(actor_filter, within=cartography) == ids, querystring
        assert cluster_facet_counts(actor_filter, within=cartography) == counts, querystring
        non_trivial += 0 < len(ids) < 200

    # The combinations really filter (else the comparison proves little).
    assert non_trivial >= 10


@pytest.mark.django_db
def test_cluster_orders_equal_the_database_orders(search_cluster, cartography):
    """Every order of the directory, whole lists, ties included (the demo names repeat;
    "CRO" sorts before "Capital" by code point, as SQLite and PostgreSQL C.UTF-8 do)."""
    assert database_sorts_like_cluster()
    generate_actors(cartography, 200, seed=3)
    indexes.rebuild("actors")

    # With a text query, "relevance" (the default then) ranks as the header search does.
    text_queries = [c for c in COMBINATIONS if c.startswith("q=")][:3]
    for querystring in [*COMBINATIONS[:6], *text_queries]:
        for sort in SORTS:
            actor_filter = ActorFilter(
                QueryDict(f"{querystring}&sort={sort}"), cartography.actors()
            )
            expected = list(actor_filter.queryset().values_list("pk", flat=True))
            found = cluster_directory(actor_filter, cartography, size=300, facets=False)
            assert (found.total, found.ids) == (len(expected), expected), (querystring, sort)
            assert found.counts is None


@pytest.mark.django_db
def test_scope_is_one_cartography(search_cluster, cartography):
    generate_actors(cartography, 5, seed=1)
    indexes.rebuild("actors")
    home = cartography.get_parent()

    everything = ActorFilter(QueryDict(""), cartography.actors())
    assert len(cluster_matching_ids(everything, within=cartography)) == cartography.actors().count()
    assert cluster_matching_ids(everything, within=home) == set()


@pytest.mark.django_db
def test_ranked_text_stems_english_and_french(search_cluster, cartography):
    english = ActorPageFactory(
        parent=cartography,
        title="Northfield Bioworks",
        summary="We are manufacturing viral vectors for clinical studies.",
    )
    french = ActorPageFactory(
        parent=cartography,
        title="Atelier Lyonnais",
        summary="Production d'anticorps monoclonaux et de protéines thérapeutiques.",
    )
    ActorPageFactory(parent=cartography, title="Unrelated Academy", summary="Training only.")
    indexes.rebuild("actors")

    # English stemming: "manufactured vector" ~ "manufacturing viral vectors";
    # French: singular "anticorps monoclonal" ~ plural "monoclonaux". The cluster and
    # the database (:func:`ranked`) give the same profiles in the same order.
    for text, expected in [
        ("manufactured vector", [english.pk]),
        ("anticorps monoclonal", [french.pk]),
        ("protéine thérapeutique", [french.pk]),
        ("spaceships", []),
    ]:
        query = understand_query(text)
        total, ids = cluster_ranked_ids(query, cartography)
        assert (total, ids) == (len(expected), expected), text
        database = ranked(cartography.actors(), query).values_list("pk", flat=True)
        assert list(database) == expected, text
