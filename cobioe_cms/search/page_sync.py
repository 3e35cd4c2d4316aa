"""Keep an index of Wagtail pages in step with the page tree.

:func:`connect_page_index` wires, for one page model and its index, every change that
can add, alter or remove a page visitors see, to
:func:`cobioe_cms.search.tasks.schedule_sync` (a no-op without a cluster; otherwise a
background update after the transaction commits):

- publish (a first publication or a published edit), unpublish and deletion;
- a move of any page: the model's pages at or below it change path;
- a view restriction added to or removed from any page: the pages at or below it become
  private (not indexed) or public again.

Draft saves change nothing visitors see and queue nothing. Rows changed without
Wagtail's actions (bulk inserts, a queryset ``update()``) send no signal: run
``manage.py search_rebuild`` after one.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .tasks import schedule_sync


def connect_page_index(index_name: str, model: type[Page]) -> None:
    """Queue updates of ``index_name`` whenever a ``model`` page may have changed."""

    def at_or_below(page: Page) -> list[int]:
        pages = model.objects.descendant_of(page, inclusive=True)
        return list(pages.values_list("pk", flat=True))

    def one_page(sender: Any, instance: Page, **kwargs: Any) -> None:
        schedule_sync(index_name, [instance.pk])

    def moved(sender: Any, instance: Page, **kwargs: Any) -> None:
        # ``instance`` is the moved page with its new path; its descendants moved too.
        schedule_sync(index_name, at_or_below(instance))

    def restriction_changed(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
        page = Page.objects.filter(pk=instance.page_id).first()
        if page is not None:
            schedule_sync(index_name, at_or_below(page))

    uid = f"cobioe-search-{index_name}"
    # weak=False: the receivers are closures that nothing else keeps alive.
    page_published.connect(one_page, sender=model, weak=False, dispatch_uid=f"{uid}-published")
    page_unpublished.connect(one_page, sender=model, weak=False, dispatch_uid=f"{uid}-unpublished")
    post_delete.connect(one_page, sender=model, weak=False, dispatch_uid=f"{uid}-deleted")
    post_page_move.connect(moved, weak=False, dispatch_uid=f"{uid}-moved")
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(
            restriction_changed,
            sender=PageViewRestriction,
            weak=False,
            dispatch_uid=f"{uid}-restriction-{name}",
        )
