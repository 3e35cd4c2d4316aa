"""RSS 2.0 and Atom 1.0 feeds of news items, written by Django's feed generator.

The generator escapes everything it writes as XML text. A summary is plain text, but
both formats carry item descriptions as HTML (Atom says so with ``type="html"``), so
the summary is HTML-escaped first: a reader shows ``<b>`` as typed, never as markup.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.translation import get_language

FEED_FORMATS: dict[str, type[SyndicationFeed]] = {"rss": Rss201rev2Feed, "atom": Atom1Feed}
FEED_LENGTH = 20


def news_feed(
    request: HttpRequest,
    fmt: str,
    news,
    *,
    title: str,
    link: str,
    description: str,
    author_name: str,
) -> HttpResponse:
    """The ``FEED_LENGTH`` first items of ``news`` (already filtered to what visitors
    may see, and ordered) as a feed of format ``fmt`` (a key of ``FEED_FORMATS``).

    ``link`` is the URL of the HTML page the feed mirrors; every URL in the feed is
    made absolute from the request, as feed readers require.
    """
    feed = FEED_FORMATS[fmt](
        title=title,
        link=request.build_absolute_uri(link),
        description=description,
        language=get_language(),
        feed_url=request.build_absolute_uri(request.path),
        author_name=author_name,
    )
    for item in news.with_topics()[:FEED_LENGTH]:
        url = request.build_absolute_uri(item.get_url(request))
        published = item.published_at
        updated = item.last_published_at or published
        feed.add_item(
            title=item.title,
            link=url,
            description=escape(item.summary),
            unique_id=url,
            unique_id_is_permalink=True,
            pubdate=published,
            updateddate=max(updated, published),
            categories=_categories(item),
        )
    response = HttpResponse(content_type=feed.content_type)
    feed.write(response, "utf-8")
    return response


def _categories(item) -> list[str]:
    """Tags, then topic labels, without repeats (a tag may equal a term's label)."""
    names = [tag.name for tag in item.sorted_tags()]
    names.extend(topic.label for topic in item.topics())
    return list(dict.fromkeys(names))
