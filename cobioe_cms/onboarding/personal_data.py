"""The imports' part in a member's account export and deletion, registered with
:mod:`cobioe_cms.members.personal_data` when members is installed (onboarding does not
need it). The imports an editor uploaded are kept after the account's deletion, as the
audit of who imported which organisations (``KEPT_REFERENCES``)."""

from __future__ import annotations

from .models import ActorImport

COVERS = ["cobioe_onboarding.ActorImport.uploaded_by"]


def _date(value):
    return value.isoformat() if value else None


def export_imports(user) -> list:
    return [
        {"file_name": i.file_name, "status": i.status, "created_at": _date(i.created_at)}
        for i in ActorImport.objects.filter(uploaded_by=user).only(
            "file_name", "status", "created_at"
        )
    ]


def keep(user) -> None:
    """Kept, attributed to the anonymised account."""


def register() -> None:
    from cobioe_cms.members import personal_data

    personal_data.register("imports", export=export_imports, erase=keep, covers=COVERS)
