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

Bulk inserts send no signal: the demo generator queues its actors itself (as do imports,
above); after any other bulk write run ``manage.py search_rebuild``.
"""

from __future__ import annotations

from typing import Any

from cobioe_cms.search.page_sync import connect_page_index
from cobioe_cms.search.tasks import schedule_sync

from .models import ActorPage
from .search_documents import INDEX_NAME
from .signals import actors_imported, actors_merged


def _imported(sender: Any, actors: Any = (), merged: Any = (), **kwargs: Any) -> None:
    schedule_sync(INDEX_NAME, [actor.pk for actor in (*actors, *merged)])


def _merged(sender: Any, kept: ActorPage, removed: ActorPage, **kwargs: Any) -> None:
    schedule_sync(INDEX_NAME, [kept.pk, removed.pk])


def connect() -> None:
    # Publish, unpublish, delete, moves and view restrictions.
    connect_page_index(INDEX_NAME, ActorPage)
    uid = "cobioe-actors-search"
    actors_imported.connect(_imported, dispatch_uid=f"{uid}-imported")
    actors_merged.connect(_merged, dispatch_uid=f"{uid}-merged")
