"""Editors' listing of the contact relay's reports in the Wagtail admin: the reports of
conversations by the organisations' representatives, open or resolved, each with the
conversation to read (editors read a conversation only here, and only a reported one)
and a "resolve" action.

Who may use it: the editors told of reports by e-mail (the "Editors" and "Moderators"
groups, :func:`cobioe_cms.members.notifications.editor_emails`), and anyone granted
``cobioe_community.change_relayreport``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cobioe_cms.members.notifications import REVIEWER_GROUPS

from . import relay
from .models import RelayReport

PERMISSION = "cobioe_community.change_relayreport"
PER_PAGE = 50
MESSAGES_SHOWN = 200  # the latest ones of a long conversation
STATES = {
    "open": gettext_lazy("To handle"),
    "resolved": gettext_lazy("Resolved"),
    "all": gettext_lazy("All"),
}


def may_review(user) -> bool:
    return user.is_authenticated and (
        user.has_perm(PERMISSION) or user.groups.filter(name__in=REVIEWER_GROUPS).exists()
    )


def _report_or_404(pk: int, queryset=RelayReport.objects):
    if not 0 < pk < 2**63:  # ``<int:>`` takes any length; SQLite fails past 64 bits
        raise Http404
    return get_object_or_404(queryset, pk=pk)


def _require_reviewer(request) -> None:
    if not may_review(request.user):
        raise PermissionDenied


def report_list(request):
    _require_reviewer(request)
    state = request.GET.get("state", "open")
    if state not in STATES:
        state = "open"
    reports = RelayReport.objects.select_related(
        "conversation__organisation", "conversation__sender__member_profile", "reporter"
    ).order_by("-created_at", "-pk")
    if state == "open":
        reports = reports.filter(resolved_at__isnull=True)
    elif state == "resolved":
        reports = reports.filter(resolved_at__isnull=False)
    paginator = Paginator(reports, PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("p"))
    for entry in page_obj.object_list:
        entry.sender_label = relay.sender_name(entry.conversation.sender)
    return TemplateResponse(
        request,
        "cobioe_community/admin/relay_reports.html",
        {"page_obj": page_obj, "state": state, "states": STATES.items()},
    )


def report_detail(request, pk: int):
    _require_reviewer(request)
    entry = _report_or_404(
        pk,
        RelayReport.objects.select_related(
            "conversation__organisation",
            "conversation__sender__member_profile",
            "conversation__sender_organisation",
            "reporter",
            "resolved_by",
        ),
    )
    conversation = entry.conversation
    latest = conversation.messages.select_related("author__member_profile").order_by(
        "-created_at", "-pk"
    )[:MESSAGES_SHOWN]
    thread = list(reversed(latest))
    for message in thread:
        message.name = relay.sender_name(message.author)
    return TemplateResponse(
        request,
        "cobioe_community/admin/relay_report.html",
        {
            "report": entry,
            "conversation": conversation,
            "thread": thread,
            "total": conversation.messages.count(),
            "sender_label": relay.sender_name(conversation.sender),
            "blocked": relay.is_blocked(conversation.sender_id, conversation.organisation_id),
        },
    )


@require_POST
def resolve(request, pk: int):
    _require_reviewer(request)
    entry = _report_or_404(pk)
    if relay.resolve_report(entry, request.user):
        messages.success(request, _("The report is resolved."))
    else:
        messages.info(request, _("This report was already resolved."))
    return redirect("community_relay_admin:list")
