"""Keep the actors' index in step with the page tree (connected in ``ActorsConfig.ready``).

Every change that can add, alter or remove an actor in the cartography queues an index
update through :func:`cobioe_cms.search.tasks.schedule_sync`, which does nothing when no
cluster is configured and otherwise runs after the transaction commits:

- publish / unpublish (including members' edits approved in the "Profile review"
  workflow, which end in a publish) and deletion of a profile;
- a move of any page: the actors at or below it change path (and maybe cartography);
- a view restriction added to or removed from a page above actors (private actors are
  not indexed);
- imports (created and merged profiles) and merges (the kept profile gains data, the
  removed one leaves the cartography).

Demo loads and other bulk inserts bypass signals: run ``manage.py search_rebuild``.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from cobioe_cms.search.tasks import schedule_sync

from .models import ActorPage
from .search_documents import INDEX_NAME
from .signals import actors_imported, actors_merged


def _actors_at_or_below(page: Page) -> list[int]:
    return list(ActorPage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


def _one_actor(sender: Any, instance: Page, **kwargs: Any) -> None:
    schedule_sync(INDEX_NAME, [instance.pk])


def _moved(sender: Any, instance: Page, **kwargs: Any) -> None:
    # ``instance`` is the moved page with its new path; its actors moved with it.
    schedule_sync(INDEX_NAME, _actors_at_or_below(instance))


def _restriction_changed(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        schedule_sync(INDEX_NAME, _actors_at_or_below(page))


def _imported(sender: Any, actors: Any = (), merged: Any = (), **kwargs: Any) -> None:
    schedule_sync(INDEX_NAME, [actor.pk for actor in (*actors, *merged)])


def _merged(sender: Any, kept: ActorPage, removed: ActorPage, **kwargs: Any) -> None:
    schedule_sync(INDEX_NAME, [kept.pk, removed.pk])


def connect() -> None:
    uid = "cobioe-actors-search"
    page_published.connect(_one_actor, sender=ActorPage, dispatch_uid=f"{uid}-published")
    page_unpublished.connect(_one_actor, sender=ActorPage, dispatch_uid=f"{uid}-unpublished")
    post_delete.connect(_one_actor, sender=ActorPage, dispatch_uid=f"{uid}-deleted")
    # Any page: moving a cartography moves its actors too.
    post_page_move.connect(_moved, dispatch_uid=f"{uid}-moved")
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"{uid}-restriction-{signal is post_save}",
        )
    actors_imported.connect(_imported, dispatch_uid=f"{uid}-imported")
    actors_merged.connect(_merged, dispatch_uid=f"{uid}-merged")
