"""The "who could work with us" page: partners suggested to an organisation, for its
representatives (the suggestions themselves: :mod:`cobioe_cms.community.suggestions`)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.members.auth import verified_member_required
from cobioe_cms.members.organisations import can_edit

from . import suggestions


@verified_member_required
def partners_for_organisation(request, pk: int):
    """Top partners for the organisation ``pk``; a 403 page that says why for a member
    who does not represent it, a 404 for an organisation that does not exist, was
    merged into another, or is a draft they do not represent."""
    actor = get_object_or_404(
        ActorPage.objects.filter(merged_into__isnull=True).select_related("organisation_type"),
        pk=pk,
    )
    if not can_edit(request.user, actor):
        if not actor.live:
            raise Http404  # a draft is nobody else's business
        return render(
            request,
            "cobioe_community/suggestions/not_representative.html",
            {"organisation": actor},
            status=403,
        )
    return render(
        request,
        "cobioe_community/suggestions/organisation.html",
        {
            "organisation": actor,
            "suggestions": suggestions.for_organisation(actor),
            "opportunities": suggestions.current_opportunities_of(actor),
        },
    )
