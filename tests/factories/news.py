"""Factories of news items, created as pages under a news index."""

import factory
from django.utils import timezone
from django.utils.text import slugify

from cobioe_cms.core.vocabulary import TOPIC_FACETS
from cobioe_cms.news.models import NewsPage

TOPICS = {facet.relation: facet.model for facet in TOPIC_FACETS}


class NewsPageFactory(factory.django.DjangoModelFactory):
    """``NewsPageFactory(parent=index, tags=["funding"], stages=["production"], ...)``.

    Topic fields take slugs, ``countries`` ISO codes, ``related_actors`` ActorPages.
    The page is published (with a revision) unless ``live=False``.
    """

    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"News item {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = factory.LazyAttribute(lambda o: f"Summary of {o.title}.")
    date = factory.LazyFunction(timezone.localdate)

    @classmethod
    def _create(cls, model_class, *args, parent=None, live=True, **kwargs):
        if parent is None:
            raise ValueError("NewsPageFactory needs parent=<NewsIndexPage>")
        terms = {name: kwargs.pop(name, []) for name in TOPICS}
        tags = kwargs.pop("tags", [])
        actors = kwargs.pop("related_actors", [])
        page = model_class(*args, live=live, **kwargs)
        for name, slugs in terms.items():
            setattr(page, name, list(TOPICS[name].objects.filter(slug__in=slugs)))
        page.related_actors = list(actors)
        if tags:
            page.tags.add(*tags)
        parent.add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish()
        return page
