"""The shared vocabulary is the one every app reads: each facet names a relation that
exists, to its taxonomy, on every model that has it."""

from cobioe_cms.actors.filters import FACETS
from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.vocabulary import IMPORTED_FACETS, PROFILE_FACETS, TOPIC_FACETS
from cobioe_cms.news.models import NewsPage
from cobioe_cms.news.topics import TOPIC_KINDS
from cobioe_cms.onboarding.mapping import TERM_FIELDS
from cobioe_cms.watch.models import InterestProfile, WatchItem


def test_every_facet_is_a_relation_to_its_taxonomy():
    for facet in PROFILE_FACETS:
        field = ActorPage._meta.get_field(facet.relation)
        assert field.related_model is facet.model, facet
        assert field.many_to_many is facet.many, facet
    for model in (NewsPage, WatchItem, InterestProfile):
        for facet in TOPIC_FACETS:
            assert model._meta.get_field(facet.relation).related_model is facet.model


def test_filters_topics_and_imports_use_the_vocabulary():
    by_key = {facet.key: facet for facet in FACETS}
    for facet in PROFILE_FACETS:
        if facet.url_key in by_key:
            assert by_key[facet.url_key].field == facet.relation
    for facet in TOPIC_FACETS:
        assert TOPIC_KINDS[facet.url_key].field == facet.relation
        assert by_key[facet.url_key].model is facet.model
    assert tuple(facet.relation for facet in IMPORTED_FACETS) == TERM_FIELDS
