"""What the contact relay's fragments need: the visitor's standing towards an
organisation ("Contact this organisation", "Express interest") and the member's latest
conversations (their dashboard)."""

from django import template
from django.urls import reverse

from cobioe_cms.members.organisations import has_verified_address

from .. import relay

register = template.Library()

DASHBOARD_CONVERSATIONS = 5


@register.simple_tag(takes_context=True)
def relay_contact(context, organisation, opportunity=None) -> dict:
    """``{"state": ..., "url": ...}``: ``anonymous`` (sign in first), ``representative``
    (show nothing: it is their own organisation), ``unverified`` (verify an address
    first) or ``member`` (may write; ``url`` is the form)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if opportunity is not None:
        url = reverse("community:relay_interest", args=[opportunity.pk])
    else:
        url = reverse("community:relay_contact", args=[organisation.pk])
    if user is None or not user.is_authenticated:
        return {"state": "anonymous", "url": url}
    if organisation.pk in relay.represented_ids(user):
        return {"state": "representative", "url": ""}
    if not has_verified_address(user):
        return {"state": "unverified", "url": url}
    return {"state": "member", "url": url}


@register.simple_tag
def relay_latest(user) -> list:
    """The member's latest conversations, for their dashboard (one query)."""
    if not user.is_authenticated:
        return []
    return list(
        relay.conversations_of(user).select_related("organisation")[:DASHBOARD_CONVERSATIONS]
    )
