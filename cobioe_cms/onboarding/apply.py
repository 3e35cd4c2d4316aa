"""Applying a decided import: all rows or none.

Everything happens in one ``transaction.atomic``: if any row fails (the actor a row
should merge into was deleted since the preview, say), nothing at all is written and
the import stays open for the editor to review. Created actors are **drafts** unless
the editor ticked "publish imported profiles": a list from a cluster is a claim about
organisations, and editors usually want to look at new profiles before the public
does. Merges follow the rules of :mod:`.merge` (fill empty fields, new revision).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.models import Page

from cobioe_cms.actors.duplicates.merge import IMPORT_FIELDS, fill, save_merged
from cobioe_cms.actors.models import ActorPage, CartographyPage
from cobioe_cms.actors.signals import actors_imported

from .analysis import CREATE, MERGE, decision_of
from .create import build_actor, create_actors
from .mapping import TERM_FIELDS
from .models import ActorImport
from .validation import TERM_MODELS

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)
OPEN = (ActorImport.Status.PREVIEW, ActorImport.Status.APPLYING)


class ApplyError(Exception):
    """The import cannot be applied; nothing was written. The message says why."""


def queue_import(record: ActorImport, user: AbstractBaseUser) -> bool:
    """Mark an open import as being applied and queue :func:`apply_import_task`.

    2,000 rows take 10-20 seconds (each merge publishes a revision), too long for a
    request behind a proxy's timeout: with the database task backend a worker applies
    it; the immediate backend (development, tests) applies it before returning.
    Returns False when the import was not open (applied, cancelled, or being applied).
    """
    opened = ActorImport.objects.filter(pk=record.pk, status=ActorImport.Status.PREVIEW)
    if not opened.update(status=ActorImport.Status.APPLYING, report={}):
        return False
    apply_import_task.enqueue(record.pk, user.pk)
    return True


@task()
def apply_import_task(record_id: int, user_id: int) -> None:
    """Apply an import queued by :func:`queue_import`; on failure, nothing is written
    and the import is open again, with the reason in its report for the editor."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    try:
        if user is None:
            raise ApplyError(_("The editor who applied this import no longer exists."))
        apply_import(record_id, user)
    except ApplyError as error:
        _reopen(record_id, str(error))
    except Exception:
        logger.exception("Import %s failed", record_id)
        _reopen(record_id, _("The import failed unexpectedly; nothing was written."))


def _reopen(record_id: int, message: str) -> None:
    ActorImport.objects.filter(pk=record_id, status=ActorImport.Status.APPLYING).update(
        status=ActorImport.Status.PREVIEW, report={"error": message}
    )


def load_terms(entries: list[dict]) -> dict[str, dict[str, object]]:
    """slug -> term for every taxonomy value the rows use (one query per taxonomy)."""
    wanted: dict[str, set[str]] = {key: set() for key in TERM_MODELS}
    for entry in entries:
        values = entry["values"]
        if values.get("organisation_type"):
            wanted["organisation_type"].add(values["organisation_type"])
        for key in TERM_FIELDS:
            wanted[key].update(values.get(key, []))
    terms = {}
    for key, model in TERM_MODELS.items():
        queryset = model.objects.filter(slug__in=wanted[key])
        if key == "stages":
            queryset = queryset.select_related("parent")
        terms[key] = {term.slug: term for term in queryset}
    return terms


def apply_import(record_id: int, user: AbstractBaseUser) -> dict:
    """Apply the import ``record_id`` on behalf of ``user``; returns the report."""
    with transaction.atomic():
        record = ActorImport.objects.select_for_update().filter(pk=record_id).first()
        if record is None or record.status not in OPEN:
            raise ApplyError(_("This import is no longer open: it was applied or cancelled."))
        if not record.is_analysed:
            raise ApplyError(_("Confirm the column mapping before applying the import."))
        cartography = _locked_cartography(record, user)
        entries = record.analysis
        terms = load_terms(entries)
        plan = [
            (entry, decision_of(entries, record.decisions, i)) for i, entry in enumerate(entries)
        ]

        new_actors = [build_actor(e["values"], terms) for e, d in plan if d == CREATE]
        created = iter(create_actors(cartography, new_actors, user, record.publish))
        outcomes, merged = [], []
        for entry, decision in plan:
            outcome = {"line": entry["line"], "name": entry["name"], "actor": None, "note": ""}
            if entry["errors"]:
                outcome.update(outcome="invalid", note="; ".join(entry["errors"]))
            elif decision == CREATE:
                actor = next(created)
                outcome.update(outcome="created", actor=actor.pk, title=actor.title)
            elif decision.startswith(f"{MERGE}:"):
                actor, note = _merge_row(entry, int(decision.split(":")[1]), terms, user)
                merged.append(actor)
                outcome.update(outcome="merged", actor=actor.pk, title=actor.title, note=note)
            else:
                outcome.update(outcome="skipped")
            outcomes.append(outcome)

        report = {
            "counts": {
                key: sum(1 for o in outcomes if o["outcome"] == key)
                for key in ("created", "merged", "skipped", "invalid")
            },
            "rows": outcomes,
            "published": record.publish,
            # New profiles whose organisation can be invited to claim them.
            "with_contact": sum(1 for actor in new_actors if actor.contact_email),
        }
        record.status = ActorImport.Status.APPLIED
        record.applied_at = timezone.now()
        record.report = report
        record.save(update_fields=["status", "applied_at", "report"])
        actors_imported.send(
            sender=ActorImport, actors=new_actors, merged=merged, user=user, record=record
        )
    return report


def _locked_cartography(record: ActorImport, user: AbstractBaseUser) -> CartographyPage:
    """The target cartography, its row locked so that concurrent imports take turns
    computing tree paths; checks the editor may add (and publish) profiles there."""
    if record.cartography_id is None:
        raise ApplyError(_("The cartography of this import no longer exists."))
    Page.objects.select_for_update().filter(pk=record.cartography_id).first()
    cartography = CartographyPage.objects.get(pk=record.cartography_id)
    permissions = cartography.permissions_for_user(user)
    if not permissions.can_add_subpage():
        raise ApplyError(_("You may not add profiles to this cartography."))
    if record.publish and not permissions.can_publish_subpage():
        raise ApplyError(_("You may not publish profiles in this cartography."))
    return cartography


def _merge_row(
    entry: dict, actor_id: int, terms: dict, user: AbstractBaseUser
) -> tuple[ActorPage, str]:
    """Fill an existing actor's empty fields from one row; a new revision."""
    actor = (
        ActorPage.objects.select_for_update().filter(pk=actor_id, merged_into__isnull=True).first()
    )
    if actor is None:
        raise ApplyError(
            _(
                "Row %(line)d: the profile it should be merged into no longer exists or was "
                "merged into another one. Nothing was imported; review the preview again."
            )
            % {"line": entry["line"]}
        )
    if not actor.permissions_for_user(user).can_edit():
        raise ApplyError(
            _("Row %(line)d: you may not edit “%(title)s”. Nothing was imported.")
            % {"line": entry["line"], "title": actor.title}
        )
    row = entry["values"]
    values = {name: row.get(name) for name in IMPORT_FIELDS}
    values["organisation_type"] = terms["organisation_type"].get(row.get("organisation_type"))
    row_terms = {
        key: [terms[key][s] for s in row.get(key, []) if s in terms[key]] for key in TERM_FIELDS
    }
    page = actor.get_latest_revision_as_object()
    changes = fill(page, values, row_terms)
    if not changes:
        return actor, _("nothing new to add")
    note = save_merged(page, actor, user)
    filled = _("filled: %(fields)s") % {"fields": ", ".join(c.label for c in changes)}
    return actor, "; ".join(part for part in (filled, note) if part)
