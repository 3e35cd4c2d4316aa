"""A member's rights over their data: a copy of everything held about them, and the
deletion of their account."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Claim, Invitation, MemberProfile, OrganisationFlag, Representative


def _date(value):
    return value.isoformat() if value else None


def export_user_data(user) -> dict:
    """Everything the platform holds about ``user``, as JSON-ready data."""
    from allauth.account.models import EmailAddress

    profile = MemberProfile.objects.filter(user=user).first()
    return {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _date(user.date_joined),
            "last_login": _date(user.last_login),
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "profile": {
            "full_name": profile.full_name,
            "job_title": profile.job_title,
            "privacy_policy_version": profile.privacy_policy_version,
            "privacy_consent_at": _date(profile.privacy_consent_at),
            "marketing_opt_in": profile.marketing_opt_in,
            "marketing_opt_in_at": _date(profile.marketing_opt_in_at),
        }
        if profile
        else None,
        "organisations_represented": [
            {"organisation": r.actor.title, "since": _date(r.created_at)}
            for r in Representative.objects.filter(user=user).select_related("actor")
        ],
        "claims": [
            {
                "organisation": c.actor.title,
                "status": c.status,
                "message": c.message,
                "email": c.email,
                "created_at": _date(c.created_at),
            }
            for c in Claim.objects.filter(user=user).select_related("actor")
        ],
        "invitations_sent": [
            {"organisation": i.actor.title, "email": i.email, "created_at": _date(i.created_at)}
            for i in Invitation.objects.filter(invited_by=user).select_related("actor")
        ],
        "profile_revisions_authored": [
            {"page": str(r.object_str), "created_at": _date(r.created_at)}
            for r in user.wagtail_revisions.all().order_by("created_at")
        ],
    }


@transaction.atomic
def delete_account(user) -> list:
    """Remove personal data and keep contributions, anonymised.

    The user row stays (revisions and logs point to it) but loses every personal
    field and can no longer sign in. Organisations left without a representative stay
    published and are flagged to the editors. Returns those organisations.
    """
    from allauth.account.models import EmailAddress

    orphaned = []
    for representation in Representative.objects.filter(user=user).select_related("actor"):
        others = Representative.objects.filter(actor=representation.actor).exclude(user=user)
        if not others.exists():
            orphaned.append(representation.actor)
            OrganisationFlag.objects.create(
                actor=representation.actor,
                reason=_("Its only representative deleted their account."),
            )
    Representative.objects.filter(user=user).delete()
    Claim.objects.filter(user=user, status=Claim.Status.PENDING).delete()
    Claim.objects.filter(user=user).update(email="", message="")
    Invitation.objects.filter(invited_by=user, accepted_at__isnull=True).delete()
    Invitation.objects.filter(invited_by=user).update(invited_by=None)
    EmailAddress.objects.filter(user=user).delete()
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
    return orphaned
