"""Personal data: one registry through which every app exports and erases what it holds
about a person (design.md §3). The account export and the account deletion
(:mod:`.gdpr`) call every registered provider, so an app added later takes part by
registering, without ``members`` knowing it::

    # in the app's AppConfig.ready() (members never imports higher apps)
    from cobioe_cms.members import personal_data
    personal_data.register(
        "watch",
        export=export_watch_data,          # user -> JSON-ready data
        erase=erase_watch_data,            # user -> None, inside the deletion's transaction
        covers=["cobioe_watch.SavedSearch.user", ...],
    )

``covers`` names the user references (``app_label.Model.field``: every foreign key or
one-to-one to the user model, including many-to-many tables) and e-mail fields the
provider exports and erases. :func:`uncovered` lists the references no provider covers;
the system check ``cobioe_members.W001`` and ``tests/members/test_personal_data.py``
report them, so a new model that holds a user reference must be registered (or listed
below with a reason).

The account row itself is kept, anonymised (``deleted-<pk>``, no e-mail, no name, no
usable password), so that history stays readable: the references in
:data:`KEPT_REFERENCES` still point to it after an erasure, and nothing else does.
Exports run in registration order; erasures in the reverse order, so that higher apps
erase first while the account still holds the addresses they may need, and the account
itself (registered first, by members) is anonymised last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import models, transaction

# References that still point to the (anonymised) account row after an erasure, and why.
KEPT_REFERENCES: dict[str, str] = {
    "cobioe_members.MemberProfile.user": (
        "anonymised in place: names and opt-in blanked, deleted_at set; keeps the record "
        "of the consent given and of the deletion"
    ),
    "cobioe_members.Claim.user": (
        "decided claims stay as the editors' review history; their e-mail and message are "
        "blanked (pending claims are deleted)"
    ),
    "cobioe_members.Claim.reviewed_by": "the editors' review history of claims",
    # Registered by onboarding (its imports' part in the export) when it is installed.
    "cobioe_onboarding.ActorImport.uploaded_by": "audit of who imported which organisations",
    "wagtailcore.Revision.user": "contributions to pages stay attributed to the account",
    "wagtailcore.Comment.user": "editorial comments on pages, part of the page's history",
    "wagtailcore.Comment.resolved_by": "editorial comments on pages, part of their history",
    "wagtailcore.CommentReply.user": "editorial comments on pages, part of their history",
    "wagtailcore.WorkflowState.requested_by": "moderation history of pages",
    "wagtailcore.TaskState.finished_by": "moderation history of pages",
    "wagtailcore.PageLogEntry.user": "audit log of page actions",
    "wagtailcore.ModelLogEntry.user": "audit log of snippet and settings actions",
    "admin.LogEntry.user": "audit log of Django admin actions",
}

# E-mail fields that do not identify a member's account, and why.
OTHER_EMAIL_FIELDS: dict[str, str] = {
    "cobioe_actors.ActorPage.contact_email": (
        "an organisation's published contact address: the organisation's data, changed "
        "by its representatives or the editors, not erased with one member's account"
    ),
}


@dataclass(frozen=True)
class Provider:
    name: str
    export: Callable[[Any], Any]
    erase: Callable[[Any], None]
    covers: tuple[str, ...]


_providers: dict[str, Provider] = {}


def register(
    name: str,
    *,
    export: Callable[[Any], Any],
    erase: Callable[[Any], None],
    covers: Iterable[str] = (),
) -> None:
    """Register (or replace, keeping its place) how to export and erase ``name``'s data.
    ``name`` is also its key in the export."""
    _providers[name] = Provider(name, export, erase, tuple(covers))


def providers() -> list[Provider]:
    return list(_providers.values())


def export_all(user) -> dict[str, Any]:
    """Everything every app holds about ``user``, as JSON-ready data."""
    return {provider.name: provider.export(user) for provider in _providers.values()}


def erase_all(user) -> None:
    """Erase or anonymise everything about ``user``, all or nothing."""
    with transaction.atomic():
        for provider in reversed(list(_providers.values())):
            provider.erase(user)


def covered() -> set[str]:
    return {reference for provider in _providers.values() for reference in provider.covers}


def _label(field: models.Field) -> str:
    return f"{field.model._meta.label}.{field.name}"


def user_references() -> list[str]:
    """Every foreign key or one-to-one to the user model (many-to-many tables included),
    on the model that declares it (a page type's inherited ``owner`` is Page's)."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.local_fields:
            if field.is_relation and field.related_model is user_model:
                found.append(_label(field))
    return sorted(found)


def email_fields() -> list[str]:
    found = []
    for model in apps.get_models():
        for field in model._meta.local_fields:
            if isinstance(field, models.EmailField):
                found.append(_label(field))
    return sorted(found)


def uncovered() -> list[str]:
    """References and e-mail fields that no provider covers and no list explains."""
    known = covered() | set(OTHER_EMAIL_FIELDS)
    return [ref for ref in user_references() + email_fields() if ref not in known]


@checks.register()
def check_personal_data(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [
        checks.Warning(
            f"{reference} holds personal data that the account export and deletion ignore.",
            hint="Register it with cobioe_cms.members.personal_data.register() in its "
            "app's ready(), or explain it in OTHER_EMAIL_FIELDS.",
            id="cobioe_members.W001",
        )
        for reference in uncovered()
    ]
