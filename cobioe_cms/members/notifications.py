"""The e-mails members and editors receive. Each renders a plain-text template from
``cobioe_members/emails/`` and uses the site's base URL for links."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

REVIEWER_GROUPS = ("Editors", "Moderators")


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _send(template: str, context: dict, to: list[str] | None = None, bcc=None) -> int:
    context = {"site_name": settings.WAGTAIL_SITE_NAME, **context}
    subject = render_to_string(f"cobioe_members/emails/{template}_subject.txt", context)
    body = render_to_string(f"cobioe_members/emails/{template}.txt", context)
    recipients = [r for r in (to or []) if r]
    hidden = [r for r in (bcc or []) if r]
    if not recipients and not hidden:
        return 0
    message = EmailMessage(
        " ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, recipients, bcc=hidden
    )
    return message.send()


def editor_emails() -> list[str]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=REVIEWER_GROUPS)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def representative_emails(actor) -> list[str]:
    return sorted(
        set(
            actor.representatives.filter(user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def claim_received(claim) -> int:
    return _send(
        "claim_received",
        {"claim": claim, "review_url": absolute(reverse("members_admin:claims"))},
        bcc=editor_emails(),
    )


def claim_decided(claim) -> int:
    return _send(
        "claim_decided",
        {"claim": claim, "dashboard_url": absolute(reverse("members:dashboard"))},
        to=[claim.user.email],
    )


def invitation_sent(invitation) -> int:
    url = absolute(reverse("members:accept_invitation", args=[invitation.token]))
    return _send("invitation", {"invitation": invitation, "accept_url": url}, to=[invitation.email])


def review_decided(actor, approved: bool, comment: str = "") -> int:
    return _send(
        "review_decided",
        {
            "actor": actor,
            "approved": approved,
            "comment": comment,
            "edit_url": absolute(reverse("members:edit_organisation", args=[actor.pk])),
            "profile_url": absolute(actor.url or ""),
        },
        bcc=representative_emails(actor),
    )


def review_reminder(actor, user) -> int:
    return _send(
        "review_reminder",
        {
            "actor": actor,
            "user": user,
            "confirm_url": absolute(reverse("members:edit_organisation", args=[actor.pk])),
        },
        to=[user.email],
    )
