from .news_index_page import NewsIndexPage
from .news_page import NewsPage, NewsPageQuerySet, NewsPageTag

__all__ = ["NewsIndexPage", "NewsPage", "NewsPageQuerySet", "NewsPageTag"]
