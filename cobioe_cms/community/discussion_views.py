"""The discussions' pages and actions, on the front end.

A thread is always reached through its group (``/community/groups/<group>/threads/<id>/``);
a thread or a reply of another group is a 404, and so is anything of a group whose
discussions the visitor may not read (a members-only group's threads do not exist for
others). Every change is POST-only with Django's CSRF check; the rules are those of
:mod:`.discussions`, whose refusals are shown as messages. A refused or invalid post
shows the page again with what the member wrote.
"""

from __future__ import annotations

from contextlib import suppress

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_comments.models import CommentFlag

from cobioe_cms.actors.models import ActorPage, CartographyPage
from cobioe_cms.core.pagination import parse_page_number
from cobioe_cms.members.auth import verified_member_required

from . import discussions as rules
from .forms import MoveThreadForm, ReplyEditForm, ReplyForm, ThreadForm
from .memberships import membership_of
from .models import GroupMembership, Reply, Thread, WorkingGroupPage
from .models.discussions import BODY_MAX_LENGTH
from .text import MentionLink, mentioned_slugs, quoted
from .text import render as render_text

# Replies per page, in the tree's order (a subtree may go on over the next page, each
# reply saying whom it answers): the page's cost is bounded whatever the tree's shape.
REPLIES_PER_PAGE = 50


# -- finding things, with the reader's rights --------------------------------------------


MAX_ID = 2**31 - 1  # the largest id of the tables; a larger one would crash SQLite


def id_or_404(value: int) -> int:
    """An id from the address (``<int:...>`` takes any length of digits)."""
    if not 0 < value <= MAX_ID:
        raise Http404
    return value


def _group_or_404(pk: int) -> WorkingGroupPage:
    return get_object_or_404(WorkingGroupPage.objects.live().public(), pk=id_or_404(pk))


def _readable_group(request, pk: int):
    group = _group_or_404(pk)
    membership = membership_of(request.user, group)
    if not rules.can_read(request.user, group, membership):
        raise Http404
    return group, membership


def _thread_in(request, group, membership, thread_id: int) -> Thread:
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


def _reply_or_404(request, reply_id: int):
    """A reply, its thread and group, if the visitor may read them."""
    reply = get_object_or_404(
        Reply.objects.filter(content_type=ContentType.objects.get_for_model(Thread)),
        pk=id_or_404(reply_id),
    )
    try:
        thread = Thread.objects.select_related("group").get(pk=int(reply.object_pk))
    except (Thread.DoesNotExist, ValueError):
        raise Http404 from None
    group, membership = _readable_group(request, thread.group_id)
    thread = _thread_in(request, group, membership, thread.pk)
    moderator = rules.can_moderate(request.user, group, membership)
    if not reply.is_public and not (moderator or reply.user_id == request.user.pk):
        raise Http404
    return reply, thread, group, membership


def _mention_links(request, texts) -> dict[str, MentionLink]:
    """Live profiles mentioned in ``texts``, by slug: two queries for the whole page."""
    prefixes = [
        page.get_url(request) for page in CartographyPage.objects.live().public().only("pk")
    ]
    slugs: set[str] = set()
    for text in texts:
        slugs |= mentioned_slugs(text, [p for p in prefixes if p])
    if not slugs:
        return {}
    actors = ActorPage.objects.live().public().filter(slug__in=slugs).only("title", "slug")
    return {a.slug: MentionLink(a.get_url(request), a.title) for a in actors}


# -- reading -------------------------------------------------------------------------------


def _visible_replies(thread: Thread, user, moderator: bool):
    replies = rules.replies_of(thread)
    if not moderator:
        mine = Q(user=user) if user.is_authenticated else Q(pk__in=[])
        replies = replies.filter(Q(is_public=True) | mine)
    return replies


def _replies_page(request, thread: Thread, moderator: bool):
    visible = _visible_replies(thread, request.user, moderator).order_by("thread_id", "order")
    paginator = Paginator(visible.values_list("pk", flat=True), REPLIES_PER_PAGE)
    number, message = parse_page_number(request.GET.get("page", ""), paginator.num_pages)
    page_obj = paginator.page(number)
    replies = (
        _visible_replies(thread, request.user, moderator)
        .filter(pk__in=list(page_obj.object_list))
        .select_related("user")
        .order_by("thread_id", "order")
    )
    if moderator:
        replies = replies.annotate(
            report_count=Count("flags", filter=Q(flags__flag=CommentFlag.SUGGEST_REMOVAL))
        )
    return list(replies), page_obj, paginator, message


def _parent_names(replies) -> dict[int, str]:
    """The names of the replies answered; those on an earlier page cost one query."""
    names = {r.pk: r.user_name for r in replies}
    missing = {r.parent_id for r in replies if r.parent_id != r.pk} - set(names)
    if missing:
        names.update(Reply.objects.filter(pk__in=missing).values_list("pk", "user_name"))
    return names


def thread_page(request, pk: int, thread_id: int, form=None, status: int = 200):
    group, membership = _readable_group(request, pk)
    thread = _thread_in(request, group, membership, thread_id)
    moderator = rules.can_moderate(request.user, group, membership)
    replies, page_obj, paginator, page_message = _replies_page(request, thread, moderator)
    mentions = _mention_links(request, [thread.body, *(r.comment for r in replies)])
    thread.html = render_text(thread.body, mentions)
    names = _parent_names(replies)
    for reply in replies:
        # A removed reply's text stays for the moderators (shown under its placeholder).
        hidden = reply.deleted_at or (reply.removed_at and not moderator)
        reply.html = "" if hidden else render_text(reply.comment, mentions)
        reply.parent_name = names.get(reply.parent_id) if reply.parent_id != reply.pk else None
        reply.can_edit = rules.can_edit_reply(request.user, reply)
        reply.can_answer = reply.is_public and not reply.is_gone and reply.allow_thread()
    refusal = rules.posting_refusal(request.user, group, membership, thread, moderator)
    if form is None and not refusal:
        form = _new_reply_form(request, thread, replies)
    if page_message:
        messages.info(request, page_message)
    return render(
        request,
        "cobioe_community/thread.html",
        {
            "group": group,
            "thread": thread,
            "membership": membership,
            "is_moderator": moderator,
            "can_edit_thread": rules.can_edit_thread(request.user, thread),
            "posting_refusal": refusal,
            "replies": replies,
            "page_obj": page_obj,
            "paginator": paginator,
            "page_range": paginator.get_elided_page_range(page_obj.number, on_each_side=2),
            "form": form,
            "replying_to": _answered(form, replies),
            "is_following": rules.is_following(request.user, thread),
            "move_form": MoveThreadForm(rules.move_targets(request.user, group))
            if moderator
            else None,
        },
        status=status,
    )


def _new_reply_form(request, thread: Thread, replies) -> ReplyForm:
    """The reply form; ``?reply_to=<id>`` answers a reply, ``&quote=1`` quotes it."""
    form = ReplyForm(thread)
    try:
        parent_id = int(request.GET.get("reply_to", 0))
    except ValueError:
        parent_id = 0
    parent = next((r for r in replies if r.pk == parent_id and r.can_answer), None)
    if parent is not None:
        form.initial["reply_to"] = parent.pk
        if request.GET.get("quote"):
            form.initial["comment"] = quoted(parent.comment, parent.user_name)
    return form


def _answered(form, replies):
    if form is None:
        return None
    value = form.data.get("reply_to") if form.is_bound else form.initial.get("reply_to")
    try:
        parent_id = int(value or 0)
    except (TypeError, ValueError):
        return None
    return next((r for r in replies if r.pk == parent_id), None)


def reply_permalink(request, reply_id: int):
    """A reply's lasting address: its thread, at the page that shows it."""
    reply, thread, group, membership = _reply_or_404(request, reply_id)
    moderator = rules.can_moderate(request.user, group, membership)
    before = (
        _visible_replies(thread, request.user, moderator)
        .filter(
            Q(thread_id__lt=reply.thread_id) | Q(thread_id=reply.thread_id, order__lt=reply.order)
        )
        .count()
    )
    page = before // REPLIES_PER_PAGE + 1
    url = thread.get_absolute_url() + (f"?page={page}" if page > 1 else "")
    return redirect(f"{url}#r{reply.pk}")


# -- members' actions ------------------------------------------------------------------------


def _refused(request, refusal) -> None:
    messages.error(request, str(refusal))


def _form_page(request, form, action, template: str, context: dict):
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
                _refused(request, error)
    return render(request, template, {**context, "form": form}, status=status)


@verified_member_required
def new_thread(request, pk: int):
    group, membership = _readable_group(request, pk)
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

    return _form_page(
        request,
        ThreadForm(request.POST or None),
        None if refusal else start,
        "cobioe_community/thread_form.html",
        {"group": group, "posting_refusal": refusal, "thread": None},
    )


@verified_member_required
def edit_thread(request, pk: int, thread_id: int):
    group, membership = _readable_group(request, pk)
    thread = _thread_in(request, group, membership, thread_id)
    if not rules.can_edit_thread(request.user, thread):
        messages.error(request, _("You can no longer edit this thread."))
        return redirect(thread.get_absolute_url())

    def save(data):
        rules.edit_thread(request.user, thread, data["title"], data["body"])
        messages.success(request, _("Your changes are saved."))
        return redirect(thread.get_absolute_url())

    return _form_page(
        request,
        ThreadForm(request.POST or None, initial={"title": thread.title, "body": thread.body}),
        save,
        "cobioe_community/thread_form.html",
        {"group": group, "thread": thread, "posting_refusal": ""},
    )


@verified_member_required
@require_POST
def post_reply(request, pk: int, thread_id: int):
    group, membership = _readable_group(request, pk)
    thread = _thread_in(request, group, membership, thread_id)
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
        _refused(request, error)
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
    reply, thread, group, _membership = _reply_or_404(request, reply_id)
    if not rules.can_edit_reply(request.user, reply):
        messages.error(request, _("You can no longer edit this reply."))
        return redirect(reverse("community:reply", args=[reply.pk]))

    def save(data):
        rules.edit_reply(request.user, reply, data["comment"])
        messages.success(request, _("Your changes are saved."))
        return redirect(reverse("community:reply", args=[reply.pk]))

    return _form_page(
        request,
        ReplyEditForm(request.POST or None, initial={"comment": reply.comment}),
        save,
        "cobioe_community/reply_form.html",
        {"group": group, "thread": thread, "reply": reply},
    )


@verified_member_required
@require_POST
def delete_reply(request, reply_id: int):
    reply, thread, _group, _membership = _reply_or_404(request, reply_id)
    try:
        rules.delete_reply(request.user, reply)
    except rules.Refused as error:
        _refused(request, error)
    else:
        messages.success(request, _("Your reply is deleted."))
    return redirect(thread.get_absolute_url())


@verified_member_required
@require_POST
def flag_reply(request, reply_id: int):
    reply, _thread, _group, _membership = _reply_or_404(request, reply_id)
    try:
        new = rules.flag_reply(request.user, reply)
    except rules.Refused as error:
        _refused(request, error)
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
    group, membership = _readable_group(request, pk)
    thread = _thread_in(request, group, membership, thread_id)
    if request.POST.get("follow") == "0":
        rules.unfollow_thread(request.user, thread)
        messages.success(request, _("You no longer follow this thread."))
    else:
        rules.follow_thread(request.user, thread)
        messages.success(request, _("You follow this thread."))
    return redirect(thread.get_absolute_url())


# -- moderators' actions -------------------------------------------------------------------

THREAD_ACTIONS = {
    "pin": (lambda user, thread: rules.set_pinned(user, thread, True), _("The thread is pinned.")),
    "unpin": (lambda u, t: rules.set_pinned(u, t, False), _("The thread is no longer pinned.")),
    "lock": (lambda u, t: rules.set_locked(u, t, True), _("The thread is locked.")),
    "unlock": (lambda u, t: rules.set_locked(u, t, False), _("The thread is open again.")),
    "approve": (rules.approve_thread, _("The thread is published.")),
    "remove": (rules.remove_thread, _("The thread is removed.")),
}

REPLY_ACTIONS = {
    "approve": (rules.approve_reply, _("The reply is published.")),
    "remove": (rules.remove_reply, _("The reply is removed.")),
    "restore": (rules.restore_reply, _("The reply is restored.")),
    "dismiss": (rules.dismiss_flags, _("The reports are dismissed; the reply stays.")),
}


@verified_member_required
@require_POST
def moderate_thread(request, pk: int, thread_id: int, action: str):
    group, membership = _readable_group(request, pk)
    thread = _thread_in(request, group, membership, thread_id)
    if action not in THREAD_ACTIONS:
        raise Http404
    if not rules.can_moderate(request.user, group, membership):
        raise PermissionDenied
    function, success = THREAD_ACTIONS[action]
    try:
        function(request.user, thread)
    except rules.Refused as error:
        _refused(request, error)
    else:
        messages.success(request, str(success))
    return redirect(thread.get_absolute_url())


@verified_member_required
@require_POST
def move_thread(request, pk: int, thread_id: int):
    group, membership = _readable_group(request, pk)
    thread = _thread_in(request, group, membership, thread_id)
    if not rules.can_moderate(request.user, group, membership):
        raise PermissionDenied
    form = MoveThreadForm(rules.move_targets(request.user, group), request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a group you coordinate."))
        return redirect(thread.get_absolute_url())
    try:
        rules.move_thread(request.user, thread, form.cleaned_data["group"])
    except rules.Refused as error:
        _refused(request, error)
        return redirect(reverse("community:thread", args=[group.pk, thread.pk]))
    messages.success(
        request, _("The thread is now in “%(group)s”.") % {"group": thread.group.title}
    )
    return redirect(thread.get_absolute_url())


@verified_member_required
@require_POST
def moderate_reply(request, reply_id: int, action: str):
    reply, thread, group, membership = _reply_or_404(request, reply_id)
    if action not in REPLY_ACTIONS:
        raise Http404
    if not rules.can_moderate(request.user, group, membership):
        raise PermissionDenied
    function, success = REPLY_ACTIONS[action]
    try:
        function(request.user, reply, thread)
    except rules.Refused as error:
        _refused(request, error)
    else:
        messages.success(request, str(success))
    return redirect(reverse("community:reply", args=[reply.pk]))


@verified_member_required
@require_POST
def mute_member(request, pk: int, membership_id: int, muted: bool):
    group = _group_or_404(pk)
    if not rules.can_moderate(request.user, group):
        raise PermissionDenied
    target = get_object_or_404(
        GroupMembership.objects.select_related("user"), pk=id_or_404(membership_id), group=group
    )
    try:
        rules.set_muted(request.user, target, muted)
    except rules.Refused as error:
        _refused(request, error)
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
    group, membership = _readable_group(request, pk)  # a members-only group's: 404 for others
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
