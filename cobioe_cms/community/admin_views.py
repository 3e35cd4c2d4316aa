"""Editors' review of group proposals in the Wagtail admin."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import proposals
from .memberships import Refused
from .models import GroupProposal

PERMISSION = "cobioe_community.change_groupproposal"


def _require_reviewer(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def proposal_list(request):
    _require_reviewer(request)
    status = request.GET.get("status", GroupProposal.Status.PENDING)
    if status not in GroupProposal.Status.values:
        status = GroupProposal.Status.PENDING
    qs = GroupProposal.objects.filter(status=status).select_related(
        "proposer", "reviewed_by", "group"
    )
    page = Paginator(qs, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "cobioe_community/admin/proposals.html",
        {"page_obj": page, "status": status, "statuses": GroupProposal.Status.choices},
    )


@require_POST
def decide(request, pk: int):
    _require_reviewer(request)
    proposal = get_object_or_404(GroupProposal, pk=pk)
    action = request.POST.get("action")
    note = request.POST.get("note", "")[:2000]
    try:
        if action == "approve":
            group = proposals.approve(proposal, request.user, note)
            messages.success(
                request,
                _("“%(group)s” is published; %(user)s coordinates it.")
                % {"group": group.title, "user": proposal.proposer.email},
            )
        elif action == "reject":
            proposals.reject(proposal, request.user, note)
            messages.success(request, _("The proposal was rejected and the member told."))
        else:
            messages.error(request, _("Unknown action; nothing was changed."))
    except Refused as refusal:
        messages.error(request, str(refusal))
    return redirect("community_admin:proposals")
