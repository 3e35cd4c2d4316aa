"""Keep the news index in step with the page tree (connected in ``NewsConfig.ready``).

Every change that can add, alter or remove a news item visitors see queues an index
update through :func:`cobioe_cms.search.tasks.schedule_sync`, which does nothing when no
cluster is configured and otherwise runs after the transaction commits:

- publish (a first publication or a published edit), unpublish and deletion;
- a move of any page: the news at or below it change path (and maybe news index);
- a view restriction added to or removed from a page above news (private news are not
  indexed).

Draft saves change nothing visitors see and queue nothing. Rows changed without
Wagtail's actions (a queryset ``update()`` in a shell or a migration) send no signal:
run ``manage.py search_rebuild news`` after one.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from cobioe_cms.search.tasks import schedule_sync

from .models import NewsPage
from .search_documents import INDEX_NAME


def _news_at_or_below(page: Page) -> list[int]:
    return list(NewsPage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


def _one_item(sender: Any, instance: Page, **kwargs: Any) -> None:
    schedule_sync(INDEX_NAME, [instance.pk])


def _moved(sender: Any, instance: Page, **kwargs: Any) -> None:
    # ``instance`` is the moved page with its new path; its news moved with it.
    schedule_sync(INDEX_NAME, _news_at_or_below(instance))


def _restriction_changed(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        schedule_sync(INDEX_NAME, _news_at_or_below(page))


def connect() -> None:
    uid = "cobioe-news-search"
    page_published.connect(_one_item, sender=NewsPage, dispatch_uid=f"{uid}-published")
    page_unpublished.connect(_one_item, sender=NewsPage, dispatch_uid=f"{uid}-unpublished")
    post_delete.connect(_one_item, sender=NewsPage, dispatch_uid=f"{uid}-deleted")
    # Any page: moving a news index moves its items too.
    post_page_move.connect(_moved, dispatch_uid=f"{uid}-moved")
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"{uid}-restriction-{signal is post_save}",
        )
