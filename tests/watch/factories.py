"""Watch items made directly in the database (ingestion has its own tests)."""

import itertools

from django.utils import timezone

from cobioe_cms.core.models import Modality, TherapeuticArea, ValueChainStage
from cobioe_cms.core.text import fold
from cobioe_cms.watch.models import Source, WatchItem

_counter = itertools.count()


def make_source(name="BioPharma Wire") -> Source:
    return Source.objects.get_or_create(
        name=name, defaults={"url": f"https://{fold(name).replace(' ', '')}.example/feed"}
    )[0]


def make_item(
    title,
    source=None,
    stages=(),
    modalities=(),
    areas=(),
    countries=(),
    actors=(),
    summary="",
    published=None,
    fetched=None,
) -> WatchItem:
    source = source or make_source()
    n = next(_counter)
    item = WatchItem.objects.create(
        source=source,
        title=title,
        url=f"https://news.example/{n}",
        summary=summary,
        published_at=published or timezone.now(),
        title_key=fold(title),
        keywords_text=fold(f"{title} {summary}"),
        countries=list(countries),
    )
    item.stages.set(ValueChainStage.objects.filter(slug__in=stages))
    item.modalities.set(Modality.objects.filter(slug__in=modalities))
    item.therapeutic_areas.set(TherapeuticArea.objects.filter(slug__in=areas))
    item.actors.set(actors)
    if fetched is not None:
        WatchItem.objects.filter(pk=item.pk).update(fetched_at=fetched)
        item.refresh_from_db()
    return item
