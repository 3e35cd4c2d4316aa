"""Editors' review of claims in the Wagtail admin."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import organisations as orgs
from .models import Claim

PERMISSION = "cobioe_members.change_claim"


def _require_reviewer(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def claims(request):
    _require_reviewer(request)
    status = request.GET.get("status", Claim.Status.PENDING)
    if status not in Claim.Status.values:
        status = Claim.Status.PENDING
    qs = Claim.objects.filter(status=status).select_related("user", "actor", "reviewed_by")
    page = Paginator(qs, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "cobioe_members/admin/claims.html",
        {"page_obj": page, "status": status, "statuses": Claim.Status.choices},
    )


@require_POST
def decide(request, pk: int):
    _require_reviewer(request)
    claim = get_object_or_404(Claim, pk=pk)
    if claim.status != Claim.Status.PENDING:
        messages.error(request, _("This claim was already decided."))
        return redirect("members_admin:claims")
    action = request.POST.get("action")
    if action not in {"approve", "reject"}:
        messages.error(request, _("Unknown action; nothing was changed."))
        return redirect("members_admin:claims")
    note = request.POST.get("note", "")[:2000]
    orgs.decide_claim(claim, request.user, approve=action == "approve", note=note)
    if action == "approve":
        messages.success(
            request,
            _("%(user)s now represents %(actor)s.")
            % {"user": claim.user.email, "actor": claim.actor.title},
        )
    else:
        messages.success(request, _("The claim was rejected and the member told."))
    return redirect("members_admin:claims")


def unrepresented(request):
    """Organisations nobody represents yet that have a contact e-mail (e.g. imported
    from a cluster's member list): editors invite those contacts to take them over."""
    if not request.user.has_perm("cobioe_members.add_invitation"):
        raise PermissionDenied
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("actor") if v.isdigit()][:500]
        sent = orgs.invite_contacts(
            orgs.unrepresented_organisations().filter(pk__in=ids), request.user
        )
        messages.success(request, _("%(n)d invitations sent.") % {"n": sent})
        return redirect("members_admin:unrepresented")
    qs = orgs.unrepresented_organisations()
    page = Paginator(qs, 50).get_page(request.GET.get("p"))
    return TemplateResponse(request, "cobioe_members/admin/unrepresented.html", {"page_obj": page})
