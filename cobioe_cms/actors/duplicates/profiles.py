"""The actors as the duplicate finder (:mod:`.finder`) sees them: every profile for an
import or the admin's finder, and, for the suggestions a member sees while typing a new
organisation's name, an index of the live profiles kept per process."""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterable

from django.db.models import Count, Max
from django.db.models.functions import Coalesce

from ..models.actor_page import ActorPage
from .finder import DuplicateIndex, Entity, Key

# Names typed so far this long are completed by the names they begin ("Lyon Biolog").
MIN_COMPLETED_LENGTH = 4


def existing_entities(published_only: bool = False) -> list[Entity]:
    """The actors a row may duplicate: every profile not already merged into another
    (with ``published_only``, only those an editor has published at least once)."""
    actors = ActorPage.objects.filter(merged_into__isnull=True)
    if published_only:
        actors = actors.filter(first_published_at__isnull=False)
    rows = actors.order_by("pk").values_list("pk", "title", "website", "city", "country")
    return [Entity(pk, title, website, city, country) for pk, title, website, city, country in rows]


class LiveIndex(DuplicateIndex):
    """The live profiles, with their names in order for the beginnings typed so far."""

    def __init__(self, entities: Iterable[Entity]):
        super().__init__(entities)
        for entity in self.entities.values():
            entity._keys = None  # only the entities looked up need them, not the kept ones
        self.by_compact = sorted((e.compact, e.key) for e in self.entities.values())

    def completions(self, entity: Entity, limit: int) -> list[Key]:
        """Profiles whose name begins with the one typed so far ("Lyon Biolog")."""
        prefix, names = entity.compact, self.by_compact
        found: list[Key] = []
        i = bisect_left(names, (prefix,))
        while i < len(names) and len(found) < limit and names[i][0].startswith(prefix):
            found.append(names[i][1])
            i += 1
        return found


_live_lock = threading.Lock()
_live: dict[str, object] = {"key": None, "index": None}


def _live_key() -> tuple:
    """Changes whenever a live profile's name or website may have (a publication, an
    unpublication, a deletion or a new profile changes it): one aggregate."""
    state = ActorPage.objects.live().aggregate(
        n=Count("pk"), last=Max("last_published_at"), top=Coalesce(Max("pk"), 0)
    )
    return (state["n"], state["last"], state["top"])


def live_index() -> LiveIndex:
    """The finder's index of the live profiles, kept per process while
    :func:`_live_key` stays the same: a member's every keystroke reads one aggregate,
    not 10,000 names."""
    key = _live_key()
    with _live_lock:
        if _live["key"] == key:
            return _live["index"]  # type: ignore[return-value]
    rows = (
        ActorPage.objects.live()
        .filter(merged_into__isnull=True)
        .values_list("pk", "title", "website")
    )
    index = LiveIndex(Entity(pk, title, website) for pk, title, website in rows.iterator())
    with _live_lock:
        _live.update(key=key, index=index)
    return index


def similar_live_actors(name: str, website: str = "", limit: int = 5) -> list[Key]:
    """Ids of the live profiles a new organisation called ``name`` may duplicate, best
    first: the same website domain, then the finder's matches (legal forms, case,
    accents, punctuation, "&"/"and", a typo), then the names that begin with what was
    typed so far. The caller keeps those it may show (public ones)."""
    index = live_index()
    entity = Entity(-1, name, website)
    found: dict[Key, None] = {}
    if entity.domain:
        found.update(dict.fromkeys(index.blocks.get(f"d:{entity.domain}", ())))
    found.update(dict.fromkeys(m.key for m in index.matches(entity, limit=limit)))
    if len(entity.compact) >= MIN_COMPLETED_LENGTH:
        found.update(dict.fromkeys(index.completions(entity, limit)))
    return list(found)[:limit]
