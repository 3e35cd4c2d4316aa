"""The news section of the site search (found by ``SearchConfig.ready()``).

The site's one understanding of a query (:mod:`cobioe_cms.core.analysis`): every concept
must be found in an item's title, summary, body or tags; on the database, in the token
strings ``NewsPage.save`` keeps (:mod:`cobioe_cms.search.understood_search`).
"""

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from cobioe_cms.core.analysis import UnderstoodQuery
from cobioe_cms.search.site_search import SearchContext, SearchSection, register_section
from cobioe_cms.search.understood_search import RankedIds, concept_condition, token_condition

from .models import NewsPage, NewsPageQuerySet


def ranked_news(news: NewsPageQuerySet, query: UnderstoodQuery) -> NewsPageQuerySet:
    """The items holding every concept of ``query``: those whose title holds more of
    them first, then the newest."""
    in_title = Value(0, output_field=IntegerField())
    for concept in query.concepts:
        in_title = in_title + Case(
            When(concept_condition(concept, "search_title"), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    # The items matching, named in a subquery of the news alone: SQLite, without
    # statistics, otherwise starts the join from the page tree and reads every page of
    # the site (10,000 organisations' and more) for a few hundred items.
    matching = NewsPage.objects.filter(token_condition(query, "search_text")).values("pk")
    return (
        news.filter(pk__in=matching)
        .annotate(in_title=in_title)
        .order_by("-in_title", "-date", "-first_published_at", "-pk")
    )


def database_news(news: NewsPageQuerySet, query: UnderstoodQuery) -> RankedIds:
    """:func:`ranked_news`, counted and paged in one scan of the items' texts."""
    return RankedIds(ranked_news(news, query), rows=news)


def search_news(context: SearchContext):
    """Published, public news items, best matches first."""
    return context.search(context.pages(NewsPage), database=database_news)


NEWS = register_section(
    SearchSection(
        key="news",
        label=_("News"),
        search=search_news,
        template="cobioe_news/search/hit_news.html",
        order=20,
        page_types=("cobioe_news.NewsPage",),
        cluster=lambda context, size: context.cluster_search(context.pages(NewsPage), size),
    )
)
