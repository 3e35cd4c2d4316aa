"""Editors' listing of the discussions in the Wagtail admin: replies and threads of the
groups they may edit, filtered by state (held, reported, removed) and by group, with the
moderators' actions of :mod:`.discussions` (approve, remove, restore, dismiss reports).

Who may use it: whoever may edit at least one working-group page in the admin (the
same people :func:`.memberships.is_editor` lets moderate every group on the front end);
each row and action is limited to the groups they may edit.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_comments.models import CommentFlag
from wagtail.permission_policies.pages import PagePermissionPolicy

from . import discussions as rules
from .discussion_views.shared import id_or_404
from .models import Reply, Thread, WorkingGroupPage

PER_PAGE = 50

KINDS = {"replies": _("Replies"), "threads": _("Threads")}
STATES = {
    "": _("All"),
    "held": _("Held for moderation"),
    "reported": _("Reported"),
    "removed": _("Removed"),
}
THREAD_STATES = ("", "held", "removed")  # threads are not reported, only replies

REPLY_ACTIONS = {
    "approve": (rules.approve_reply, _("The reply is published.")),
    "remove": (rules.remove_reply, _("The reply is removed.")),
    "restore": (rules.restore_reply, _("The reply is restored.")),
    "dismiss": (rules.dismiss_flags, _("The reports are dismissed; the reply stays.")),
}
THREAD_ACTIONS = {
    "approve": (rules.approve_thread, _("The thread is published.")),
    "restore": (rules.approve_thread, _("The thread is published again.")),
    "remove": (rules.remove_thread, _("The thread is removed.")),
}


def editable_groups(user):
    """The working groups ``user`` may edit in the admin (one query when evaluated)."""
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return WorkingGroupPage.objects.filter(pk__in=pages.values("pk")).order_by("title")


def _groups_or_403(request):
    groups = list(editable_groups(request.user))
    if not groups:
        raise PermissionDenied
    return groups


def _replies(groups, state: str, group_id: int | None):
    threads = Thread.objects.filter(group__in=[g.pk for g in groups])
    if group_id:
        threads = threads.filter(group_id=group_id)
    replies = (
        Reply.objects.filter(
            content_type=ContentType.objects.get_for_model(Thread),
            object_pk__in=threads.annotate(key=Cast("pk", CharField())).values("key"),
        )
        .annotate(report_count=Count("flags", filter=Q(flags__flag=CommentFlag.SUGGEST_REMOVAL)))
        .select_related("user")
        .order_by("-submit_date", "-pk")
    )
    if state == "held":
        replies = replies.filter(is_public=False, removed_at=None, deleted_at=None)
    elif state == "reported":
        replies = replies.filter(report_count__gt=0, removed_at=None, deleted_at=None)
    elif state == "removed":
        replies = replies.exclude(removed_at=None)
    return replies


def _threads(groups, state: str, group_id: int | None):
    threads = (
        Thread.objects.filter(group__in=[g.pk for g in groups])
        .select_related("group")
        .order_by("-created_at", "-pk")
    )
    if group_id:
        threads = threads.filter(group_id=group_id)
    if state == "held":
        threads = threads.filter(status=Thread.Status.HELD)
    elif state == "removed":
        threads = threads.filter(status=Thread.Status.REMOVED)
    return threads


def _attach_threads(replies) -> None:
    """Each reply's ``thread`` (with its group), in one query for the page."""
    by_pk = Thread.objects.select_related("group").in_bulk(
        [int(r.object_pk) for r in replies if r.object_pk.isdigit()]
    )
    for reply in replies:
        reply.thread = by_pk.get(int(reply.object_pk)) if reply.object_pk.isdigit() else None


def discussion_list(request):
    groups = _groups_or_403(request)
    kind = request.GET.get("kind", "replies")
    if kind not in KINDS:
        kind = "replies"
    state = request.GET.get("state", "")
    if state not in (THREAD_STATES if kind == "threads" else STATES):
        state = ""
    try:
        group_id = int(request.GET.get("group") or 0)
    except ValueError:
        group_id = 0
    if group_id not in {g.pk for g in groups}:
        group_id = 0
    items = (_threads if kind == "threads" else _replies)(groups, state, group_id)
    paginator = Paginator(items, PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("p"))
    if kind == "replies":
        _attach_threads(page_obj.object_list)
    return TemplateResponse(
        request,
        "cobioe_community/admin/discussions.html",
        {
            "page_obj": page_obj,
            "elided_page_range": paginator.get_elided_page_range(page_obj.number),
            "kind": kind,
            "kinds": KINDS.items(),
            "state": state,
            "states": [
                (k, v) for k, v in STATES.items() if kind != "threads" or k in THREAD_STATES
            ],
            "group_id": group_id,
            "groups": groups,
        },
    )


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(reverse("community_discussions_admin:list"))


@require_POST
def act_on_reply(request, pk: int, action: str):
    groups = _groups_or_403(request)
    if action not in REPLY_ACTIONS:
        raise Http404
    reply = get_object_or_404(
        Reply.objects.filter(content_type=ContentType.objects.get_for_model(Thread)),
        pk=id_or_404(pk),
    )
    thread = Thread.objects.select_related("group").filter(pk=_int(reply.object_pk)).first()
    if thread is None or thread.group_id not in {g.pk for g in groups}:
        raise Http404
    function, success = REPLY_ACTIONS[action]
    try:
        function(request.user, reply, thread)
    except rules.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, str(success))
    return _back(request)


@require_POST
def act_on_thread(request, pk: int, action: str):
    groups = _groups_or_403(request)
    if action not in THREAD_ACTIONS:
        raise Http404
    thread = get_object_or_404(
        Thread.objects.select_related("group"),
        pk=id_or_404(pk),
        group__in=[g.pk for g in groups],
    )
    function, success = THREAD_ACTIONS[action]
    try:
        function(request.user, thread)
    except rules.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, str(success))
    return _back(request)


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0
