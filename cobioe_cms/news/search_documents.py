"""The news items' document in the search cluster, registered with ``cobioe_cms.search``
from ``NewsConfig.ready()`` (the search app knows no domain app; design.md §3).

Only what visitors may read is indexed: live news without view restrictions, as in
``NewsIndexPage.news()``. Topics are stored as the taxonomies' slugs (the values of the
news archives' URLs, stable when a label is reworded), countries as ISO codes and
related actors as page ids, exactly as the database holds them, so that a query on the
cluster and one on the database select the same news.
"""

from __future__ import annotations

from typing import Any

from elasticsearch_dsl import Date, Document, Integer, Keyword

from cobioe_cms.core.vocabulary import TOPIC_RELATIONS
from cobioe_cms.search.registry import SearchDocument, bilingual_text, register, slug_list

from .models import NewsPage

INDEX_NAME = "news"


class NewsDocument(Document):
    """Mapping only; documents are written by ``cobioe_cms.search.indexes``."""

    title = bilingual_text(keyword=True)
    summary = bilingual_text()
    body = bilingual_text()
    # Title and summary lower-cased, each kept whole: a wildcard ``*word*`` on it is the
    # database's ``icontains`` (what the watch matches news with), which an analysed
    # field cannot give ("bio" inside "biologics", punctuation kept).
    contains_text = Keyword(multi=True)
    date = Date()
    first_published_at = Date()
    tags = slug_list()
    stages = slug_list()
    modalities = slug_list()
    therapeutic_areas = slug_list()
    countries = slug_list()
    related_actors = Integer(multi=True)
    # The page tree: "news of this index" is a prefix on path plus a depth.
    path = Keyword()
    depth = Integer()


def news_to_index():
    """Every live, public news item, with what :func:`serialize` reads prefetched."""
    return (
        NewsPage.objects.live()
        .public()
        .prefetch_related("tags", *TOPIC_RELATIONS, "related_actors")
        .order_by("pk")
    )


def is_indexable(page: NewsPage) -> bool:
    """Only what the news section may show: published and without view restrictions."""
    return NewsPage.objects.live().public().filter(pk=page.pk).exists()


def body_text(page: NewsPage) -> str:
    """The body's words (headings, paragraphs without their HTML, quotes)."""
    field = NewsPage._meta.get_field("body")
    return "\n".join(part for part in field.get_searchable_content(page.body) if part)


def serialize(page: NewsPage) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": page.title,
        "summary": page.summary,
        "body": body_text(page),
        "contains_text": [page.title.lower(), page.summary.lower()],
        "date": page.date.isoformat(),
        "first_published_at": (
            page.first_published_at.isoformat() if page.first_published_at else None
        ),
        "tags": sorted(tag.slug for tag in page.tags.all()),
        "countries": sorted(country.code for country in page.countries),
        "related_actors": sorted(actor.pk for actor in page.related_actors.all()),
        "path": page.path,
        "depth": page.depth,
    }
    for relation in TOPIC_RELATIONS:
        body[relation] = sorted(term.slug for term in getattr(page, relation).all())
    return {key: value for key, value in body.items() if value is not None}


NEWS = register(
    SearchDocument(
        name=INDEX_NAME,
        document=NewsDocument,
        serialize=serialize,
        queryset=news_to_index,
        should_index=is_indexable,
    )
)
