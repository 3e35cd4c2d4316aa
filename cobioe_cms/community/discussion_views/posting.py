"""What members do in the discussions: start a thread, reply, edit, delete, report a reply,
follow a thread. A refused or invalid post shows the page again with what the member
wrote."""

from __future__ import annotations

from contextlib import suppress

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cobioe_cms.members.auth import verified_member_required

from .. import discussions as rules
from ..forms import ReplyEditForm, ReplyForm, ThreadForm
from ..models import Thread
from ..models.discussions import BODY_MAX_LENGTH
from .reading import thread_page
from .shared import form_page, readable_group, refused, reply_or_404, thread_in


@verified_member_required
def new_thread(request, pk: int):
    group, membership = readable_group(request, pk)
    refusal = rules.posting_refusal(request.user, group, membership)

    def start(data):
        thread = rules.start_thread(request.user, group, data["title"], data["body"])
        if thread.is_visible:
            messages.success(request, _("Your thread is published."))
        else:
            messages.info(
                request,
                _(
                    "Your thread waits for a moderator: new accounts' first posts are "
                    "checked before they appear."
                ),
            )
        return redirect(thread.get_absolute_url())

    return form_page(
        request,
        ThreadForm(request.POST or None),
        None if refusal else start,
        "cobioe_community/thread_form.html",
        {"group": group, "posting_refusal": refusal, "thread": None},
    )


@verified_member_required
def edit_thread(request, pk: int, thread_id: int):
    group, membership = readable_group(request, pk)
    thread = thread_in(request, group, membership, thread_id)
    if not rules.can_edit_thread(request.user, thread):
        messages.error(request, _("You can no longer edit this thread."))
        return redirect(thread.get_absolute_url())

    def save(data):
        rules.edit_thread(request.user, thread, data["title"], data["body"])
        messages.success(request, _("Your changes are saved."))
        return redirect(thread.get_absolute_url())

    return form_page(
        request,
        ThreadForm(request.POST or None, initial={"title": thread.title, "body": thread.body}),
        save,
        "cobioe_community/thread_form.html",
        {"group": group, "thread": thread, "posting_refusal": ""},
    )


@verified_member_required
@require_POST
def post_reply(request, pk: int, thread_id: int):
    group, membership = readable_group(request, pk)
    thread = thread_in(request, group, membership, thread_id)
    form = ReplyForm(thread, data=request.POST)
    if not form.is_valid():
        if "honeypot" in form.errors:
            messages.error(request, _("This post looks automated; it was not sent."))
            form = _fresh_form(thread, request.POST)
        elif form.security_errors():
            messages.error(
                request,
                _("This form has expired or was altered; your text is below, send it again."),
            )
            form = _fresh_form(thread, request.POST)
        return thread_page(request, pk, thread_id, form=form, status=400)
    if (
        form.cleaned_data["object_pk"] != str(thread.pk)
        or form.cleaned_data["content_type"]
        != f"{Thread._meta.app_label}.{Thread._meta.model_name}"
    ):
        messages.error(request, _("This form belongs to another thread; nothing was posted."))
        return thread_page(
            request, pk, thread_id, form=_fresh_form(thread, request.POST), status=400
        )
    try:
        parent = rules.reply_parent(thread, form.cleaned_data["reply_to"])
        reply = rules.post_reply(request.user, thread, form.cleaned_data["comment"], parent)
    except rules.Refused as error:
        refused(request, error)
        return thread_page(
            request, pk, thread_id, form=_fresh_form(thread, request.POST), status=400
        )
    if reply.is_public:
        messages.success(request, _("Your reply is published."))
    else:
        messages.info(
            request,
            _(
                "Your reply waits for a moderator: new accounts' first posts are checked "
                "before they appear."
            ),
        )
    return redirect(reverse("community:reply", args=[reply.pk]))


def _fresh_form(thread: Thread, data) -> ReplyForm:
    """A new signed form that keeps what the member wrote."""
    form = ReplyForm(thread)
    form.initial["comment"] = data.get("comment", "")[:BODY_MAX_LENGTH]
    with suppress(ValueError):
        form.initial["reply_to"] = int(data.get("reply_to", 0))
    return form


@verified_member_required
def edit_reply(request, reply_id: int):
    reply, thread, group, _membership = reply_or_404(request, reply_id)
    if not rules.can_edit_reply(request.user, reply):
        messages.error(request, _("You can no longer edit this reply."))
        return redirect(reverse("community:reply", args=[reply.pk]))

    def save(data):
        rules.edit_reply(request.user, reply, data["comment"])
        messages.success(request, _("Your changes are saved."))
        return redirect(reverse("community:reply", args=[reply.pk]))

    return form_page(
        request,
        ReplyEditForm(request.POST or None, initial={"comment": reply.comment}),
        save,
        "cobioe_community/reply_form.html",
        {"group": group, "thread": thread, "reply": reply},
    )


@verified_member_required
@require_POST
def delete_reply(request, reply_id: int):
    reply, thread, _group, _membership = reply_or_404(request, reply_id)
    try:
        rules.delete_reply(request.user, reply)
    except rules.Refused as error:
        refused(request, error)
    else:
        messages.success(request, _("Your reply is deleted."))
    return redirect(thread.get_absolute_url())


@verified_member_required
@require_POST
def flag_reply(request, reply_id: int):
    reply, _thread, _group, _membership = reply_or_404(request, reply_id)
    try:
        new = rules.flag_reply(request.user, reply)
    except rules.Refused as error:
        refused(request, error)
    else:
        messages.success(
            request,
            _("Thank you: the moderators will look at this reply.")
            if new
            else _("You had already reported this reply."),
        )
    return redirect(reverse("community:reply", args=[reply.pk]))


@verified_member_required
@require_POST
def follow_thread(request, pk: int, thread_id: int):
    group, membership = readable_group(request, pk)
    thread = thread_in(request, group, membership, thread_id)
    if request.POST.get("follow") == "0":
        rules.unfollow_thread(request.user, thread)
        messages.success(request, _("You no longer follow this thread."))
    else:
        rules.follow_thread(request.user, thread)
        messages.success(request, _("You follow this thread."))
    return redirect(thread.get_absolute_url())
