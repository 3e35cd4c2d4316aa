"""The news section of the site search (found by ``SearchConfig.ready()``)."""

from django.utils.translation import gettext_lazy as _

from cobioe_cms.search.site_search import SearchContext, SearchSection, register_section

from .models import NewsPage


def search_news(context: SearchContext):
    """Published, public news items, best matches first (Wagtail search: title,
    summary, body, tags)."""
    return context.search(context.pages(NewsPage))


NEWS = register_section(
    SearchSection(
        key="news",
        label=_("News"),
        search=search_news,
        template="search/hit_news.html",
        order=20,
        page_types=("cobioe_news.NewsPage",),
    )
)
