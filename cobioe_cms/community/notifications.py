"""The e-mails of group membership, each in its recipient's language.

A member's language is the one they used when they last acted on the group (recorded on
their :class:`~.models.GroupMembership`); an invitation is written in the language its
coordinator used. Templates are ``cobioe_community/emails/<name>.txt`` and
``<name>_subject.txt``; links use the site's base URL, as the members' e-mails do.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from cobioe_cms.members.notifications import absolute


def language_of(code: str) -> str:
    """``code`` if the site offers it, else the site's default language."""
    available = {language for language, _name in settings.LANGUAGES}
    return code if code in available else settings.LANGUAGE_CODE


def _send(template: str, context: dict, to: str, language: str) -> int:
    if not to:
        return 0
    context = {"site_name": settings.WAGTAIL_SITE_NAME, **context}
    with translation.override(language_of(language)):
        subject = render_to_string(f"cobioe_community/emails/{template}_subject.txt", context)
        body = render_to_string(f"cobioe_community/emails/{template}.txt", context)
    return EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to]).send()


def _group_url(group) -> str:
    return absolute(group.url or "")


def _to_member(template: str, membership, **extra) -> int:
    group = membership.group
    context = {"membership": membership, "group": group, "group_url": _group_url(group), **extra}
    return _send(template, context, membership.user.email, membership.language)


def request_received(membership) -> int:
    """Each coordinator of the group hears of a request, in their own language."""
    manage_url = absolute(reverse("community:manage", args=[membership.group_id]))
    sent = 0
    coordinators = membership.group.memberships.coordinators().select_related("user")
    for coordinator in coordinators:
        sent += _send(
            "request_received",
            {"membership": membership, "group": membership.group, "manage_url": manage_url},
            coordinator.user.email,
            coordinator.language,
        )
    return sent


def member_joined(membership) -> int:
    return _to_member("joined", membership)


def request_approved(membership) -> int:
    return _to_member("request_approved", membership)


def request_declined(membership) -> int:
    return _to_member("request_declined", membership)


def member_removed(membership) -> int:
    return _to_member("removed", membership)


def promoted(membership) -> int:
    manage_url = absolute(reverse("community:manage", args=[membership.group_id]))
    return _to_member("promoted", membership, manage_url=manage_url)


def invitation_sent(invitation) -> int:
    accept_url = absolute(reverse("community:accept_invitation", args=[invitation.token]))
    context = {
        "invitation": invitation,
        "group": invitation.group,
        "group_url": _group_url(invitation.group),
        "accept_url": accept_url,
    }
    return _send("invitation", context, invitation.email, invitation.language)


def proposal_received(proposal) -> int:
    """The editors (in the site's language) hear of a proposal."""
    from cobioe_cms.members.notifications import editor_emails

    review_url = absolute(reverse("community_admin:proposals"))
    sent = 0
    for email in editor_emails():
        sent += _send(
            "proposal_received",
            {"proposal": proposal, "review_url": review_url},
            email,
            settings.LANGUAGE_CODE,
        )
    return sent


def proposal_decided(proposal) -> int:
    context = {"proposal": proposal, "group": proposal.group}
    if proposal.group is not None:
        context["group_url"] = _group_url(proposal.group)
        context["manage_url"] = absolute(reverse("community:manage", args=[proposal.group.pk]))
    return _send("proposal_decided", context, proposal.proposer.email, proposal.language)
