"""A member's notifications page, their e-mail preferences, and following a group.

Sign-in required; a member only ever sees and opens their own notifications (another
member's id is a 404). Opening the page marks nothing read: following a notification's
link does (:func:`open_notification`), and so does "mark all read" (POST).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cobioe_cms.core.pagination import parse_page_number
from cobioe_cms.members.auth import verified_member_required

from . import activity
from . import memberships as rules
from . import notifications as words
from .models import (
    GroupMembership,
    Notification,
    NotificationPreference,
    WorkingGroupPage,
)

PER_PAGE = 25
Delivery = NotificationPreference.Delivery


def _readable_group_ids(user, notifications) -> set[int]:
    """Of the groups these notifications are about, those ``user`` may read now (one
    query, plus an editor check per members-only group they are not in)."""
    group_ids = {n.group_id for n in notifications if n.thread_id}
    if not group_ids:
        return set()
    member_of = set(
        GroupMembership.objects.active()
        .filter(user=user, group_id__in=group_ids)
        .values_list("group_id", flat=True)
    )
    readable = set()
    for notification in notifications:
        group = notification.thread.group if notification.thread_id else None
        if group is None or group.pk in readable:
            continue
        if (
            group.discussion_visibility == WorkingGroupPage.Visibility.PUBLIC
            or group.pk in member_of
            or rules.is_editor(user, group)
        ):
            readable.add(group.pk)
    return readable


@login_required
def notification_list(request):
    mine = Notification.objects.filter(recipient=request.user).select_related(
        "group", "thread__group", "reply", "actor"
    )
    paginator = Paginator(mine, PER_PAGE)
    number, message = parse_page_number(request.GET.get("page", ""), paginator.num_pages)
    page_obj = paginator.page(number)
    entries = list(page_obj.object_list)
    readable = _readable_group_ids(request.user, entries)
    for entry in entries:
        # A members-only group they left: say that something happened, not what.
        entry.hidden = bool(entry.thread_id) and entry.thread.group_id not in readable
        entry.summary = (
            _("Activity in a group whose discussions you can no longer read.")
            if entry.hidden
            else words.describe(entry)
        )
    if message:
        messages.info(request, message)
    return render(
        request,
        "cobioe_community/notifications.html",
        {
            "entries": entries,
            "page_obj": page_obj,
            "page_range": paginator.get_elided_page_range(number, on_each_side=2),
            "unread_count": mine.filter(read_at=None).count(),
        },
    )


@login_required
def open_notification(request, notification_id: int):
    """Mark one notification read and go where it leads."""
    notification = get_object_or_404(
        Notification.objects.select_related("group", "thread", "reply"),
        pk=notification_id,
        recipient=request.user,
    )
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
    if not words.still_readable(notification):
        messages.info(request, _("What this notification was about is no longer there for you."))
        return redirect("community:notifications")
    return redirect(words.target_path(notification))


@login_required
@require_POST
def mark_all_read(request):
    count = Notification.objects.filter(recipient=request.user, read_at=None).update(
        read_at=timezone.now()
    )
    if count:
        messages.success(request, _("All your notifications are marked read."))
    return redirect("community:notifications")


class PreferencesForm(forms.Form):
    """One choice per kind of notification."""

    def __init__(self, *args, initial_deliveries: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Notification.Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Delivery.choices,
                initial=initial_deliveries[kind],
                widget=forms.RadioSelect,
                error_messages={
                    "required": gettext_lazy("Choose how to hear of this."),
                    "invalid_choice": gettext_lazy(
                        "“%(value)s” is not one of the choices; choose one of those shown."
                    ),
                },
            )


@login_required
def notification_preferences(request):
    current = words.deliveries_for(request.user)
    form = PreferencesForm(request.POST or None, initial_deliveries=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            for kind, delivery in form.cleaned_data.items():
                NotificationPreference.objects.update_or_create(
                    user=request.user, kind=kind, defaults={"delivery": delivery}
                )
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("community:notification_preferences")
        status = 400
        messages.error(request, _("Nothing was changed: please correct the choices below."))
    return render(
        request, "cobioe_community/notification_preferences.html", {"form": form}, status=status
    )


@verified_member_required
@require_POST
def follow_group(request, pk: int):
    group = get_object_or_404(WorkingGroupPage.objects.live().public(), pk=pk)
    if request.POST.get("follow") == "0":
        activity.unfollow_group(request.user, group)
        messages.success(request, _("You no longer follow this group."))
    else:
        try:
            activity.follow_group(request.user, group)
        except rules.Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("You follow this group: you will hear of new threads."))
    return redirect(group.url or "/")
