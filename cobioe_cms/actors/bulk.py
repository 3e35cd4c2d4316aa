"""Adding many actor pages under a cartography at once.

``add_child`` runs at about 25 pages a second here (a tree lock and several queries per
page); the demo generator and the editors' import instead compute the tree rows
themselves (path, depth, URL path) and insert them in batches. Callers run this inside
a transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils.text import slugify
from wagtail.models import Locale, Page

from .models import ActorPage, CartographyPage, write_tokens

BATCH = 500


def unique_slug(title: str, taken: set[str]) -> str:
    """A slug for ``title`` not in ``taken`` (which it joins)."""
    base = slugify(title)[:70].strip("-") or "actor"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def insert_children(
    parent: CartographyPage,
    actors: list[ActorPage],
    page_fields: Callable[[ActorPage], dict],
) -> None:
    """Insert unsaved ``actors`` as the last children of ``parent``.

    ``page_fields(actor)`` gives the per-page values this function does not decide
    (live, publication dates, owner...). Sets each actor's pk, slug and tree fields.
    """
    if not actors:
        return
    content_type = ContentType.objects.get_for_model(ActorPage)
    locale = parent.locale if parent.locale_id else Locale.get_default()
    depth = parent.depth + 1
    # Not get_last_child(): it trusts the in-memory numchild, stale after a bulk load.
    last_child = (
        Page.objects.filter(path__startswith=parent.path, depth=depth).order_by("-path").first()
    )
    step = Page._str2int(last_child.path[-Page.steplen :]) if last_child else 0
    taken = set(Page.objects.child_of(parent).values_list("slug", flat=True))
    pages = []
    for actor in actors:
        step += 1
        slug = unique_slug(actor.title, taken)
        fields = {
            "title": actor.title,
            "draft_title": actor.title,
            "slug": slug,
            "content_type": content_type,
            "locale": locale,
            "translation_key": uuid.uuid4(),
            "path": Page._get_path(parent.path, depth, step),
            "depth": depth,
            "numchild": 0,
            "url_path": f"{parent.url_path}{slug}/",
            **page_fields(actor),
        }
        for name, value in fields.items():
            setattr(actor, name, value)
        pages.append(Page(**fields))
    Page.objects.bulk_create(pages, batch_size=BATCH)
    for page, actor in zip(pages, actors, strict=True):
        actor.pk = actor.id = actor.page_ptr_id = page.pk
    # Django's bulk_create refuses multi-table inheritance; inserting only the child
    # table's fields, in batches, is what it would do for a plain model.
    fields = ActorPage._meta.local_concrete_fields
    for start in range(0, len(actors), BATCH):
        ActorPage._base_manager._insert(actors[start : start + BATCH], fields=fields)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(actors))
    write_tokens(actors, replace=False)
