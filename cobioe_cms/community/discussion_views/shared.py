"""What the discussions' views share: finding a group, thread or reply with the visitor's
rights (anything they may not read is a 404), and showing a refusal or a form page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .. import discussions as rules
from ..memberships import membership_of
from ..models import Reply, Thread, WorkingGroupPage

MAX_ID = 2**31 - 1  # the largest id of the tables; a larger one would crash SQLite


def id_or_404(value: int) -> int:
    """An id from the address (``<int:...>`` takes any length of digits)."""
    if not 0 < value <= MAX_ID:
        raise Http404
    return value


def group_or_404(pk: int) -> WorkingGroupPage:
    return get_object_or_404(WorkingGroupPage.objects.live().public(), pk=id_or_404(pk))


def readable_group(request, pk: int):
    group = group_or_404(pk)
    membership = membership_of(request.user, group)
    if not rules.can_read(request.user, group, membership):
        raise Http404
    return group, membership


def thread_in(request, group, membership, thread_id: int) -> Thread:
    """The thread of ``group``; a held or removed one only for its author and moderators."""
    thread = get_object_or_404(
        Thread.objects.select_related("author"), pk=id_or_404(thread_id), group=group
    )
    if not thread.is_visible and not (
        (request.user.is_authenticated and thread.author_id == request.user.pk)
        or rules.can_moderate(request.user, group, membership)
    ):
        raise Http404
    return thread


def reply_or_404(request, reply_id: int):
    """A reply, its thread and group, if the visitor may read them."""
    reply = get_object_or_404(
        Reply.objects.filter(content_type=ContentType.objects.get_for_model(Thread)),
        pk=id_or_404(reply_id),
    )
    try:
        thread = Thread.objects.select_related("group").get(pk=int(reply.object_pk))
    except (Thread.DoesNotExist, ValueError):
        raise Http404 from None
    group, membership = readable_group(request, thread.group_id)
    thread = thread_in(request, group, membership, thread.pk)
    moderator = rules.can_moderate(request.user, group, membership)
    if not reply.is_public and not (moderator or reply.user_id == request.user.pk):
        raise Http404
    return reply, thread, group, membership


def refused(request, refusal) -> None:
    messages.error(request, str(refusal))


def form_page(request, form, action, template: str, context: dict):
    """``template`` with ``form``. A POST whose form is valid runs ``action(cleaned_data)``,
    which answers (a redirect) or raises ``Refused``: the refusal is shown with the form as
    the member filled it, status 400, as for an invalid form. ``action=None``: the member
    may not post here (the page says why); a POST changes nothing."""
    status = 200
    if request.method == "POST":
        status = 400
        if action is not None and form.is_valid():
            try:
                return action(form.cleaned_data)
            except rules.Refused as error:
                refused(request, error)
    return render(request, template, {**context, "form": form}, status=status)
