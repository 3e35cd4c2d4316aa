"""The panorama's statistics equal counts made with the ORM, and follow every change."""

import datetime

import pytest
from django.utils import timezone

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.panorama import statistics
from tests.factories import ActorPageFactory

pytestmark = pytest.mark.django_db


def live():
    return ActorPage.objects.live().filter(merged_into__isnull=True)


@pytest.fixture
def actors(cartography):
    made = [
        ActorPageFactory(
            parent=cartography, country="FR", organisation_type="cdmo",
            stages=["production", "fill-finish"], modalities=["monoclonal-antibodies"],
            scales=["commercial"], gmp_status="gmp-certified",
        ),
        ActorPageFactory(
            parent=cartography, country="FR", organisation_type="academic-lab",
            stages=["research-development"], modalities=["vaccines", "mrna-nucleic-acids"],
            scales=["lab"],
        ),
        ActorPageFactory(
            parent=cartography, country="DE", organisation_type="cdmo",
            stages=["production", "clinical-manufacturing"], modalities=["vaccines"],
            scales=["clinical", "commercial"], gmp_status="gmp-certified",
        ),
        ActorPageFactory(
            parent=cartography, country="BE", organisation_type="company",
            stages=["quality-control"], modalities=["monoclonal-antibodies"], scales=["pilot"],
        ),
        ActorPageFactory(parent=cartography, country="DE", live=False, organisation_type="cdmo"),
    ]  # fmt: skip
    statistics.invalidate()
    return made


def count_of(dimension, key, where=None):
    for count in statistics.counts(dimension, where):
        if count.value.key == key:
            return count.count
    return 0


def test_counts_equal_the_orm_for_several_slices(actors):
    assert statistics.get_snapshot().total == live().count() == 4
    for code in ("FR", "DE", "BE"):
        assert count_of("country", code) == live().filter(country=code).count()
    for slug in ("production", "fill-finish", "clinical-manufacturing", "research-development"):
        expected = live().filter(stages__slug=slug).distinct().count()
        assert count_of("stage", slug) == expected
    assert count_of("stage", "fill-finish") == 1
    assert count_of("type", "cdmo") == live().filter(organisation_type__slug="cdmo").count() == 2
    assert count_of("gmp", "gmp-certified") == 2
    assert count_of("modality", "vaccines", {"country": "FR"}) == (
        live().filter(country="FR", modalities__slug="vaccines").count()
    )


def test_values_without_actors_are_left_out_and_sub_stages_follow_their_parent(actors):
    from cobioe_cms.core.models import ValueChainStage

    ValueChainStage.objects.filter(slug="fill-finish").update(sort_order=999)
    statistics.invalidate()
    keys = [count.value.key for count in statistics.counts("stage")]
    assert "training" not in keys
    production = keys.index("production")
    assert keys[production + 1 : production + 3] == ["clinical-manufacturing", "fill-finish"]
    depths = {count.value.key: count.value.depth for count in statistics.counts("stage")}
    assert depths["fill-finish"] == 1 and depths["production"] == 0


def test_crosstab_cells_with_a_slice_equal_the_orm(actors):
    rows, columns, cells = statistics.crosstab("country", "scale", {"type": "cdmo"})
    assert cells, "the cross-tab has rows"
    for row, counts in zip(rows, cells, strict=True):
        for column, cell in zip(columns, counts, strict=True):
            expected = (
                live()
                .filter(country=row.key, scales__slug=column.key, organisation_type__slug="cdmo")
                .distinct()
                .count()
            )
            assert cell == expected, (row.key, column.key)
    assert sum(map(sum, cells)) == 3  # FR commercial, DE clinical and commercial


def test_an_unknown_slice_value_selects_nobody(actors):
    assert statistics.counts("country", {"type": "no-such-type"})[0].count == 0


def test_growth_by_year_of_first_publication(actors):
    first, second, third, fourth, _ = actors
    ActorPage.objects.filter(pk__in=[first.pk, second.pk]).update(
        first_published_at=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)
    )
    ActorPage.objects.filter(pk=third.pk).update(
        first_published_at=datetime.datetime(2025, 1, 2, tzinfo=datetime.UTC)
    )
    statistics.invalidate()
    this_year = timezone.now().year
    series = statistics.growth()
    by_year = {year: (new, total) for year, new, total in series}
    for year in (2024, 2025, this_year):
        assert by_year[year][0] == live().filter(first_published_at__year=year).count()
    assert by_year[2024] == (2, 2)
    assert by_year[2025] == (1, 3)
    assert series[-1][2] == 4
    assert {year: new for year, new, _ in statistics.growth({"type": "cdmo"})} == {
        2024: 1, 2025: 1, this_year: 0,
    }  # fmt: skip


def test_publish_unpublish_move_and_delete_change_the_numbers_at_once(actors, cartography):
    assert count_of("country", "DE") == 1
    draft = actors[4]
    draft.save_revision().publish()
    assert count_of("country", "DE") == 2
    actors[2].unpublish()
    assert count_of("country", "DE") == 1
    ActorPage.objects.get(pk=actors[0].pk).delete()
    assert count_of("country", "FR") == 1
    assert statistics.get_snapshot().total == live().count() == 3
    before = statistics.generation()
    moved = ActorPage.objects.get(pk=actors[1].pk)
    moved.move(cartography, pos="last-child")
    assert statistics.generation() != before


def test_a_warm_snapshot_costs_one_cache_read_and_no_query(actors, django_assert_num_queries):
    statistics.get_snapshot()
    with django_assert_num_queries(0):
        statistics.counts("country")
        statistics.crosstab("modality", "stage")
        statistics.growth()


def test_building_costs_the_same_queries_whatever_the_number_of_actors(cartography):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_to_build():
        with CaptureQueriesContext(connection) as captured:
            statistics.build_snapshot()
        return len(captured)

    for _ in range(5):
        ActorPageFactory(parent=cartography, stages=["production"], modalities=["vaccines"])
    five = queries_to_build()
    for _ in range(25):
        ActorPageFactory(parent=cartography, country="IT", stages=["fill-finish"])
    assert queries_to_build() == five
