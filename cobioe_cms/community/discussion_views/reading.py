"""Reading the discussions: a thread's page (its replies a page at a time) and a reply's
lasting address."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django_comments.models import CommentFlag

from cobioe_cms.actors.models import ActorPage, CartographyPage
from cobioe_cms.core.pagination import parse_page_number

from .. import discussions as rules
from ..forms import MoveThreadForm, ReplyForm
from ..models import Reply, Thread
from ..text import MentionLink, mentioned_slugs, quoted
from ..text import render as render_text
from .shared import readable_group, reply_or_404, thread_in

# Replies per page, in the tree's order (a subtree may go on over the next page, each
# reply saying whom it answers): the page's cost is bounded whatever the tree's shape.
REPLIES_PER_PAGE = 50


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
    group, membership = readable_group(request, pk)
    thread = thread_in(request, group, membership, thread_id)
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
    reply, thread, group, membership = reply_or_404(request, reply_id)
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
