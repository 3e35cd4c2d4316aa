"""Factories of watch sources and items, made directly in the database (ingestion has
its own tests)."""

import itertools

import factory
from django.utils import timezone

from cobioe_cms.core.models import Modality, TherapeuticArea, ValueChainStage
from cobioe_cms.core.text import fold
from cobioe_cms.watch.models import Source, WatchItem

TOPICS = {"stages": ValueChainStage, "modalities": Modality, "therapeutic_areas": TherapeuticArea}

DEFAULT_SOURCE = "BioPharma Wire"

_sources = itertools.count()


class SourceFactory(factory.django.DjangoModelFactory):
    """``SourceFactory(url=feed_url)`` or ``SourceFactory(name="Wire")``.

    Without a name, the source is named after the last part of its URL (``…/a.xml`` ->
    ``a.xml``); without a URL, it gets one made from its name.
    """

    class Meta:
        model = Source

    name = ""
    url = ""

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if not kwargs["url"]:
            name = kwargs["name"] or f"Source {next(_sources)}"
            kwargs["url"] = f"https://{fold(name).replace(' ', '')}.example/feed"
        if not kwargs["name"]:
            kwargs["name"] = kwargs["url"].rstrip("/").rsplit("/", 1)[-1]
        return kwargs


def default_source() -> Source:
    """The source of items made without one: the same for every item of a test."""
    return Source.objects.filter(name=DEFAULT_SOURCE).first() or SourceFactory(name=DEFAULT_SOURCE)


class WatchItemFactory(factory.django.DjangoModelFactory):
    """``WatchItemFactory(title="New plant", modalities=["vaccines"], countries=["FR"])``.

    Topic fields take slugs, ``actors`` ActorPages. The item is fetched now unless
    ``fetched_at`` is given; its source is :func:`default_source` unless ``source`` is.
    """

    class Meta:
        model = WatchItem

    title = factory.Sequence(lambda n: f"Watch item {n}")
    source = factory.LazyFunction(default_source)
    url = factory.Sequence(lambda n: f"https://news.example/{n}")
    summary = ""
    published_at = factory.LazyFunction(timezone.now)
    title_key = factory.LazyAttribute(lambda o: fold(o.title))
    keywords_text = factory.LazyAttribute(lambda o: fold(f"{o.title} {o.summary}"))
    countries = ()

    @classmethod
    def _create(cls, model_class, *args, actors=(), fetched_at=None, **kwargs):
        terms = {name: kwargs.pop(name, ()) for name in TOPICS}
        kwargs["countries"] = list(kwargs["countries"])
        item = super()._create(model_class, *args, **kwargs)
        for name, slugs in terms.items():
            getattr(item, name).set(TOPICS[name].objects.filter(slug__in=slugs))
        item.actors.set(actors)
        if fetched_at is not None:
            model_class.objects.filter(pk=item.pk).update(fetched_at=fetched_at)
            item.refresh_from_db()
        return item
