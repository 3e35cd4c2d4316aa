"""A member's rights over their data: a copy of everything held about them, and the
deletion of their account.

Both go through the :mod:`.personal_data` registry: members registers its own data here
(:func:`register_members_data`, called from ``MembersConfig.ready``), the other apps
register theirs in their own ``ready()``.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import personal_data
from .models import Claim, Invitation, MemberProfile, OrganisationFlag, ReminderLog, Representative


def _date(value):
    return value.isoformat() if value else None


def export_user_data(user) -> dict:
    """Everything the platform holds about ``user``, as JSON-ready data."""
    return personal_data.export_all(user)


@transaction.atomic
def delete_account(user) -> list:
    """Remove personal data and keep contributions, anonymised (every registered app's
    erasure, in one transaction).

    The user row stays (revisions and logs point to it) but loses every personal
    field and can no longer sign in. Organisations left without a representative stay
    published and are flagged to the editors. Returns those organisations.
    """
    orphaned = [
        r.actor
        for r in Representative.objects.filter(user=user).select_related("actor")
        if not Representative.objects.filter(actor=r.actor).exclude(user=user).exists()
    ]
    personal_data.erase_all(user)
    return orphaned


def member_addresses(user) -> list[str]:
    """The account's e-mail addresses (primary and every other one), lower-cased."""
    from allauth.account.models import EmailAddress

    addresses = {user.email} | set(
        EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    )
    return sorted({a.strip().lower() for a in addresses if a and a.strip()})


def _addressed_to(addresses: list[str]) -> Q:
    query = Q(pk__in=[])
    for address in addresses:
        query |= Q(email__iexact=address)
    return query


# -- account --------------------------------------------------------------------------


def _export_account(user) -> dict:
    return {
        "username": user.get_username(),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": _date(user.date_joined),
        "last_login": _date(user.last_login),
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "permissions": sorted(
            f"{app}.{codename}"
            for app, codename in user.user_permissions.values_list(
                "content_type__app_label", "codename"
            )
        ),
    }


def _erase_account(user) -> None:
    user.username = f"deleted-{user.pk}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def _export_email_addresses(user) -> list:
    from allauth.account.models import EmailAddress

    return [
        {"email": e.email, "verified": e.verified, "primary": e.primary}
        for e in EmailAddress.objects.filter(user=user)
    ]


def _erase_email_addresses(user) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).delete()


# -- profile and organisations --------------------------------------------------------


def _export_profile(user) -> dict | None:
    profile = MemberProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {
        "full_name": profile.full_name,
        "job_title": profile.job_title,
        "privacy_policy_version": profile.privacy_policy_version,
        "privacy_consent_at": _date(profile.privacy_consent_at),
        "marketing_opt_in": profile.marketing_opt_in,
        "marketing_opt_in_at": _date(profile.marketing_opt_in_at),
    }


def _erase_profile(user) -> None:
    MemberProfile.objects.update_or_create(
        user=user,
        defaults={
            "full_name": "",
            "job_title": "",
            "marketing_opt_in": False,
            "marketing_opt_in_at": None,
            "deleted_at": timezone.now(),
        },
    )


def _export_representations(user) -> list:
    return [
        {"organisation": r.actor.title, "since": _date(r.created_at)}
        for r in Representative.objects.filter(user=user).select_related("actor")
    ]


def _erase_representations(user) -> None:
    for representation in Representative.objects.filter(user=user).select_related("actor"):
        others = Representative.objects.filter(actor=representation.actor).exclude(user=user)
        if not others.exists():
            OrganisationFlag.objects.create(
                actor=representation.actor,
                reason=_("Its only representative deleted their account."),
            )
    Representative.objects.filter(user=user).delete()
    Representative.objects.filter(invited_by=user).update(invited_by=None)


def _export_representatives_added(user) -> list:
    # The colleagues are other people: their organisation and date only.
    return [
        {"organisation": r.actor.title, "since": _date(r.created_at)}
        for r in Representative.objects.filter(invited_by=user).select_related("actor")
    ]


def _export_claims(user) -> list:
    return [
        {
            "organisation": c.actor.title,
            "status": c.status,
            "message": c.message,
            "email": c.email,
            "created_at": _date(c.created_at),
        }
        for c in Claim.objects.filter(user=user).select_related("actor")
    ]


def _erase_claims(user) -> None:
    Claim.objects.filter(user=user, status=Claim.Status.PENDING).delete()
    Claim.objects.filter(user=user).update(email="", message="")


def _export_claims_reviewed(user) -> list:
    return [
        {"organisation": c.actor.title, "status": c.status, "created_at": _date(c.created_at)}
        for c in Claim.objects.filter(reviewed_by=user).select_related("actor")
    ]


def _export_invitations_sent(user) -> list:
    return [
        {"organisation": i.actor.title, "email": i.email, "created_at": _date(i.created_at)}
        for i in Invitation.objects.filter(invited_by=user).select_related("actor")
    ]


def _erase_invitations_sent(user) -> None:
    Invitation.objects.filter(invited_by=user, accepted_at__isnull=True).delete()
    Invitation.objects.filter(invited_by=user).update(invited_by=None)


def _invitations_received(user):
    received = _addressed_to(member_addresses(user)) | Q(accepted_by=user)
    return Invitation.objects.filter(received)


def _export_invitations_received(user) -> list:
    return [
        {
            "organisation": i.actor.title,
            "email": i.email,
            "created_at": _date(i.created_at),
            "accepted_at": _date(i.accepted_at),
        }
        for i in _invitations_received(user).select_related("actor").order_by("created_at")
    ]


def _erase_invitations_received(user) -> None:
    """Pending invitations to the member's addresses go; accepted ones stay in their
    inviter's history without the address and without the account."""
    received = _invitations_received(user)
    received.filter(accepted_at__isnull=True).delete()
    received.update(email="", accepted_by=None)


def _export_reminders(user) -> list:
    return [
        {"organisation": r.actor.title, "sent_at": _date(r.sent_at)}
        for r in ReminderLog.objects.filter(user=user).select_related("actor")
    ]


def _erase_reminders(user) -> None:
    ReminderLog.objects.filter(user=user).delete()


def _export_revisions(user) -> list:
    return [
        {"page": str(r.object_str), "created_at": _date(r.created_at)}
        for r in user.wagtail_revisions.all().order_by("created_at")
    ]


def _keep(user) -> None:
    """Kept, attributed to the anonymised account (see ``KEPT_REFERENCES``)."""


def register_members_data() -> None:
    """members' own data, and that of the libraries it builds accounts on (allauth,
    Wagtail's admin, Django's admin). The account comes first: erased last."""
    register = personal_data.register
    register(
        "account",
        export=_export_account,
        erase=_erase_account,
        covers=["auth.User.email", "auth.User_groups.user", "auth.User_user_permissions.user"],
    )
    register(
        "email_addresses",
        export=_export_email_addresses,
        erase=_erase_email_addresses,
        covers=["account.EmailAddress.user", "account.EmailAddress.email"],
    )
    register(
        "profile",
        export=_export_profile,
        erase=_erase_profile,
        covers=["cobioe_members.MemberProfile.user"],
    )
    register(
        "organisations_represented",
        export=_export_representations,
        erase=_erase_representations,
        covers=["cobioe_members.Representative.user"],
    )
    register(
        "representatives_added",
        export=_export_representatives_added,
        erase=_keep,  # nulled with the representations above
        covers=["cobioe_members.Representative.invited_by"],
    )
    register(
        "claims",
        export=_export_claims,
        erase=_erase_claims,
        covers=["cobioe_members.Claim.user", "cobioe_members.Claim.email"],
    )
    register(
        "claims_reviewed",
        export=_export_claims_reviewed,
        erase=_keep,
        covers=["cobioe_members.Claim.reviewed_by"],
    )
    register(
        "invitations_sent",
        export=_export_invitations_sent,
        erase=_erase_invitations_sent,
        covers=["cobioe_members.Invitation.invited_by"],
    )
    register(
        "invitations_received",
        export=_export_invitations_received,
        erase=_erase_invitations_received,
        covers=["cobioe_members.Invitation.email", "cobioe_members.Invitation.accepted_by"],
    )
    register(
        "review_reminders",
        export=_export_reminders,
        erase=_erase_reminders,
        covers=["cobioe_members.ReminderLog.user"],
    )
    register(
        "profile_revisions_authored",
        export=_export_revisions,
        erase=_keep,
        covers=["wagtailcore.Revision.user"],
    )
    # Then what the libraries accounts are built on hold (Wagtail, Django, allauth).
    from .gdpr_libraries import register_library_data

    register_library_data()
