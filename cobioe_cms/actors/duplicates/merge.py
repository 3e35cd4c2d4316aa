"""Merging into an existing actor: what an import row or a duplicate profile adds.

A merge never overwrites: it fills the fields the kept profile leaves empty and adds
taxonomy terms, from the removed profile as an editor last published it (never from
an unreviewed draft), as a new revision of the kept page (so its history shows what changed
and who did it). The kept page is published again only if it was live with no pending
draft: a draft someone is working on is never published behind their back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log
from wagtail.models import PageLogEntry

from cobioe_cms.core.vocabulary import IMPORTED_FACETS, TERM_RELATIONS

from ..models import ActorPage
from ..signals import actors_merged

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# Fields an import row may fill; a profile merged into another fills these too.
IMPORT_FIELDS = (
    "acronym", "organisation_type", "summary", "website", "contact_email",
    "contact_phone", "address", "postcode", "city", "region", "year_founded", "size_band",
)  # fmt: skip
PROFILE_FIELDS = (
    *IMPORT_FIELDS, "logo", "description", "gmp_status", "max_bioreactor_volume",
    "partners_sought", "last_reviewed",
)  # fmt: skip
IMPORT_TERMS = tuple(facet.relation for facet in IMPORTED_FACETS)
PROFILE_TERMS = TERM_RELATIONS


@dataclass
class Change:
    field: str
    label: str
    value: str


def _empty(value) -> bool:
    return value is None or value == "" or value == "<p></p>"


def fill(page: ActorPage, values: dict, terms: dict[str, list]) -> list[Change]:
    """Set ``values`` on the page's empty fields and add ``terms``; return the changes.

    ``values`` maps field names to model values (terms and foreign keys as objects).
    """
    changes = []
    for name, value in values.items():
        if _empty(value) or not _empty(getattr(page, name)):
            continue
        setattr(page, name, value)
        field = ActorPage._meta.get_field(name)
        display = page.get_size_band_display() if name == "size_band" else value
        if name == "description":
            display = _("(rich text)")
        changes.append(Change(name, str(field.verbose_name), str(display)))
    for name, new_terms in terms.items():
        current = list(getattr(page, name).all())
        added = [term for term in new_terms if term not in current]
        if added:
            setattr(page, name, current + added)
            field = ActorPage._meta.get_field(name)
            changes.append(Change(name, str(field.verbose_name), ", ".join(str(t) for t in added)))
    return changes


def save_merged(page: ActorPage, actor: ActorPage, user: AbstractBaseUser | None) -> str:
    """Save the filled ``page`` (the latest version of ``actor``) as a new revision,
    published if ``actor`` was live without pending changes. Returns a note for the
    editor ("" when published)."""
    # Read before saving: ``page`` may be ``actor`` itself (no pending draft).
    live, pending = actor.live, actor.has_unpublished_changes
    may_publish = user is None or actor.permissions_for_user(user).can_publish()
    revision = page.save_revision(user=user, log_action=True, clean=False)
    if not live:
        return _("saved as a draft (the profile is not published)")
    if pending:
        return _("saved as a draft (the profile has unpublished changes)")
    if not may_publish:
        return _("saved as a draft (you may not publish this profile)")
    try:
        with transaction.atomic():  # a savepoint: a refused publish leaves the draft
            revision.publish(user=user)
    except ValidationError as error:
        fields = ", ".join(sorted(getattr(error, "message_dict", {})))
        return _("saved as a draft (the profile needs review: %(fields)s)") % {"fields": fields}
    return ""


def profile_values(actor: ActorPage) -> tuple[dict, dict[str, list]]:
    """What a profile can give another in a merge: its values and taxonomy terms."""
    values = {name: getattr(actor, name) for name in PROFILE_FIELDS}
    if actor.location_precision == "exact":
        values.update(latitude=actor.latitude, longitude=actor.longitude)
    terms = {name: list(getattr(actor, name).all()) for name in PROFILE_TERMS}
    return values, terms


def reviewed_version(actor: ActorPage) -> ActorPage | None:
    """``actor`` as an editor last published it (its live revision, or for a profile
    since unpublished the revision last published); None if it never was. A draft
    saved since then, by a member say, is nobody's reviewed word and gives nothing."""
    if actor.live_revision_id:
        return actor.live_revision.as_object()
    entry = (
        PageLogEntry.objects.filter(
            page_id=actor.pk, action="wagtail.publish", revision__isnull=False
        )
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    if entry is not None:
        return entry.revision.as_object()
    return actor if actor.live else None


def _given_by(removed: ActorPage) -> tuple[ActorPage | None, dict, dict[str, list]]:
    source = reviewed_version(removed)
    if source is None:
        return None, {}, {}
    return (source, *profile_values(source))


def preview_merge(kept: ActorPage, removed: ActorPage) -> list[Change]:
    """The changes merging ``removed`` into ``kept`` would make (nothing is saved)."""
    page = kept.get_latest_revision_as_object()
    source, values, terms = _given_by(removed)
    changes = fill(page, values, terms)
    keywords = _new_keywords(page, source)
    if keywords:
        changes.append(Change("keywords", _("keywords"), ", ".join(keywords)))
    return changes


def _new_keywords(page: ActorPage, source: ActorPage | None) -> list[str]:
    if source is None:
        return []
    current = {tag.name.lower() for tag in page.keywords.all()}
    return [tag.name for tag in source.keywords.all() if tag.name.lower() not in current]


@transaction.atomic
def merge_actors(
    kept: ActorPage, removed: ActorPage, user: AbstractBaseUser | None
) -> list[Change]:
    """Merge the profile ``removed`` into ``kept``: ``kept`` gets a new revision with
    the empty fields filled, terms and keywords added; ``removed`` is unpublished,
    marked as merged, and its URL redirects to ``kept``. Sends ``actors_merged``."""
    locked = {
        a.pk: a for a in ActorPage.objects.select_for_update().filter(pk__in=[kept.pk, removed.pk])
    }
    kept, removed = locked.get(kept.pk), locked.get(removed.pk)
    if kept is None or removed is None or kept.pk == removed.pk:
        raise ValueError(_("These profiles cannot be merged."))
    if kept.merged_into_id or removed.merged_into_id:
        raise ValueError(_("One of these profiles has already been merged."))
    page = kept.get_latest_revision_as_object()
    source, values, terms = _given_by(removed)
    changes = fill(page, values, terms)
    keywords = _new_keywords(page, source)
    if keywords:
        page.keywords.add(*keywords)
        changes.append(Change("keywords", _("keywords"), ", ".join(keywords)))
    note = save_merged(page, kept, user) if changes else ""
    data = {"kept": kept.pk, "removed": removed.pk, "removed_title": removed.title}
    log(instance=kept, action="cobioe_actors.merge", user=user, data=data)
    _redirect(removed, kept)
    if removed.live:
        removed.unpublish(user=user, log_action=True)
    ActorPage.objects.filter(pk=removed.pk).update(merged_into=kept)
    ActorPage.objects.filter(merged_into=removed).update(merged_into=kept)
    log(instance=removed, action="cobioe_actors.merged_into", user=user, data=data)
    actors_merged.send(sender=ActorPage, kept=kept, removed=removed, user=user)
    if note:
        changes.append(Change("", _("note"), note))
    return changes


def _redirect(removed: ActorPage, kept: ActorPage) -> None:
    """Links to the removed profile keep working: its path redirects to the kept one,
    and so do redirects that pointed to it."""
    Redirect.objects.filter(redirect_page=removed).update(redirect_page=kept)
    parts = removed.get_url_parts()
    if parts is None:
        return
    site_id, _root, path = parts
    old_path = Redirect.normalise_path(path)
    Redirect.objects.update_or_create(
        old_path=old_path,
        site_id=site_id,
        defaults={"redirect_page": kept, "is_permanent": True, "redirect_link": ""},
    )
