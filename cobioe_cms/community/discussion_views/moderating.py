"""What moderators do in the discussions: pin, lock, move, approve, remove or restore
threads and replies, dismiss reports, mute members, and the queue of what waits for them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_comments.models import CommentFlag

from cobioe_cms.members.auth import verified_member_required

from .. import discussions as rules
from ..forms import MoveThreadForm
from ..models import GroupMembership, Reply, Thread
from .shared import group_or_404, id_or_404, readable_group, refused, reply_or_404, thread_in

THREAD_ACTIONS = {
    "pin": (
        lambda user, thread: rules.set_pinned(user, thread, True),
        gettext_lazy("The thread is pinned."),
    ),
    "unpin": (
        lambda u, t: rules.set_pinned(u, t, False),
        gettext_lazy("The thread is no longer pinned."),
    ),
    "lock": (lambda u, t: rules.set_locked(u, t, True), gettext_lazy("The thread is locked.")),
    "unlock": (
        lambda u, t: rules.set_locked(u, t, False),
        gettext_lazy("The thread is open again."),
    ),
    "approve": (rules.approve_thread, gettext_lazy("The thread is published.")),
    "remove": (rules.remove_thread, gettext_lazy("The thread is removed.")),
}

REPLY_ACTIONS = {
    "approve": (rules.approve_reply, gettext_lazy("The reply is published.")),
    "remove": (rules.remove_reply, gettext_lazy("The reply is removed.")),
    "restore": (rules.restore_reply, gettext_lazy("The reply is restored.")),
    "dismiss": (rules.dismiss_flags, gettext_lazy("The reports are dismissed; the reply stays.")),
}


@verified_member_required
@require_POST
def moderate_thread(request, pk: int, thread_id: int, action: str):
    group, membership = readable_group(request, pk)
    thread = thread_in(request, group, membership, thread_id)
    if action not in THREAD_ACTIONS:
        raise Http404
    if not rules.can_moderate(request.user, group, membership):
        raise PermissionDenied
    function, success = THREAD_ACTIONS[action]
    try:
        function(request.user, thread)
    except rules.Refused as error:
        refused(request, error)
    else:
        messages.success(request, str(success))
    return redirect(thread.get_absolute_url())


@verified_member_required
@require_POST
def move_thread(request, pk: int, thread_id: int):
    group, membership = readable_group(request, pk)
    thread = thread_in(request, group, membership, thread_id)
    if not rules.can_moderate(request.user, group, membership):
        raise PermissionDenied
    form = MoveThreadForm(rules.move_targets(request.user, group), request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a group you coordinate."))
        return redirect(thread.get_absolute_url())
    try:
        rules.move_thread(request.user, thread, form.cleaned_data["group"])
    except rules.Refused as error:
        refused(request, error)
        return redirect(reverse("community:thread", args=[group.pk, thread.pk]))
    messages.success(
        request, _("The thread is now in “%(group)s”.") % {"group": thread.group.title}
    )
    return redirect(thread.get_absolute_url())


@verified_member_required
@require_POST
def moderate_reply(request, reply_id: int, action: str):
    reply, thread, group, membership = reply_or_404(request, reply_id)
    if action not in REPLY_ACTIONS:
        raise Http404
    if not rules.can_moderate(request.user, group, membership):
        raise PermissionDenied
    function, success = REPLY_ACTIONS[action]
    try:
        function(request.user, reply, thread)
    except rules.Refused as error:
        refused(request, error)
    else:
        messages.success(request, str(success))
    return redirect(reverse("community:reply", args=[reply.pk]))


@verified_member_required
@require_POST
def mute_member(request, pk: int, membership_id: int, muted: bool):
    group = group_or_404(pk)
    if not rules.can_moderate(request.user, group):
        raise PermissionDenied
    target = get_object_or_404(
        GroupMembership.objects.select_related("user"), pk=id_or_404(membership_id), group=group
    )
    try:
        rules.set_muted(request.user, target, muted)
    except rules.Refused as error:
        refused(request, error)
    else:
        messages.success(
            request,
            (_("%(name)s is muted in this group.") if muted else _("%(name)s can post again."))
            % {"name": target.display_name()},
        )
    return redirect(reverse("community:manage", args=[group.pk]))


@verified_member_required
def moderation_queue(request, pk: int):
    """What waits for the group's moderators: held threads and replies, reported replies."""
    group, membership = readable_group(request, pk)  # a members-only group's: 404 for others
    if not rules.can_moderate(request.user, group, membership):
        raise PermissionDenied
    held_threads = group.threads.filter(status=Thread.Status.HELD).select_related("author")
    thread_ids = group.threads.annotate(key=Cast("pk", CharField())).values("key")
    replies = (
        Reply.objects.filter(
            content_type=ContentType.objects.get_for_model(Thread), object_pk__in=thread_ids
        )
        .annotate(report_count=Count("flags", filter=Q(flags__flag=CommentFlag.SUGGEST_REMOVAL)))
        .filter(Q(is_public=False) | Q(report_count__gt=0), removed_at=None, deleted_at=None)
        .select_related("user")
        .order_by("-submit_date")[:200]
    )
    return render(
        request,
        "cobioe_community/moderation.html",
        {"group": group, "held_threads": held_threads, "replies": replies},
    )
