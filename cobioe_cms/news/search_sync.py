"""Keep the news index in step with the page tree (connected in ``NewsConfig.ready``):
publish, unpublish, delete, moves and view restrictions, through
:func:`cobioe_cms.search.page_sync.connect_page_index` (which lists what it follows).
Only live, public news are indexed (:mod:`.search_documents`)."""

from cobioe_cms.search.page_sync import connect_page_index

from .models import NewsPage
from .search_documents import INDEX_NAME


def connect() -> None:
    connect_page_index(INDEX_NAME, NewsPage)
