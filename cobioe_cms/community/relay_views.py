"""The contact relay's pages: writing to an organisation (from its profile or from one
of its opportunities), the member's messages, a conversation, and the recipients'
"block this sender" and "report".

Writing needs a verified address (allauth's check first, then :mod:`.relay`'s rules);
the messages pages need a sign-in. A conversation exists only for its two sides: its
sender and the representatives of the organisation contacted; for anyone else, and for
an id that is not a conversation's, it is a 404. Every change is POST-only with Django's
CSRF check; a refused or invalid post shows the page again with what the member wrote
(status 400), with the discussions' form-page helper.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cobioe_cms.core.pagination import parse_page_number
from cobioe_cms.members.auth import verified_member_required

from . import relay as rules
from .discussion_views.shared import form_page, id_or_404
from .models import Conversation, OpportunityPage, RelayMessage
from .relay_forms import ContactForm, MessageForm, ReportForm

CONVERSATIONS_PER_PAGE = 20
MESSAGES_PER_PAGE = 50


# -- writing to an organisation ---------------------------------------------------------


def _contact_page(request, organisation, opportunity=None, subject: str = ""):
    user = request.user
    refusal = rules.contact_refusal(user, organisation)
    unrepresented = not refusal and not rules.representatives_of(organisation.pk)
    if unrepresented:
        rules.tell_editors_unrepresented(organisation)
    form = ContactForm(
        rules.sender_organisations(user), request.POST or None, initial={"subject": subject}
    )

    def send(data):
        conversation = rules.start_conversation(
            user,
            organisation,
            data["subject"],
            data["body"],
            on_behalf_of=data.get("on_behalf_of"),
            opportunity=opportunity,
        )
        messages.success(
            request,
            _("Your message was sent to the representatives of %(organisation)s.")
            % {"organisation": organisation.title},
        )
        return redirect("community:relay_conversation", conversation.pk)

    return form_page(
        request,
        form,
        None if refusal or unrepresented else send,
        "cobioe_community/relay/contact_form.html",
        {
            "organisation": organisation,
            "opportunity": opportunity,
            "refusal": refusal,
            "unrepresented": unrepresented,
        },
    )


@verified_member_required
def contact_organisation(request, pk: int):
    organisation = get_object_or_404(rules.contactable_organisations(), pk=id_or_404(pk))
    return _contact_page(request, organisation)


@verified_member_required
def express_interest(request, pk: int):
    opportunity = get_object_or_404(
        OpportunityPage.objects.current().public().select_related("organisation"),
        pk=id_or_404(pk),
    )
    subject = _("Interest in: %(title)s") % {"title": opportunity.title}
    return _contact_page(request, opportunity.organisation, opportunity, subject)


# -- the member's messages --------------------------------------------------------------


def _last_side():
    """Whether the latest message of each conversation came from the organisation."""
    return Subquery(
        RelayMessage.objects.filter(conversation=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("from_organisation")[:1]
    )


@login_required
def inbox(request):
    conversations = (
        rules.conversations_of(request.user)
        .select_related("organisation", "sender__member_profile", "sender_organisation")
        .annotate(message_count=Count("messages"), last_from_organisation=_last_side())
    )
    paginator = Paginator(conversations, CONVERSATIONS_PER_PAGE)
    number, message = parse_page_number(request.GET.get("page", ""), paginator.num_pages)
    if message:
        messages.info(request, message)
    page_obj = paginator.page(number)
    entries = list(page_obj.object_list)
    for conversation in entries:
        conversation.started_by_me = conversation.sender_id == request.user.pk
        # "Your turn": the other side wrote last.
        conversation.awaits_me = conversation.started_by_me == bool(
            conversation.last_from_organisation
        )
        conversation.sender_label = rules.sender_name(conversation.sender)
    return render(
        request,
        "cobioe_community/relay/inbox.html",
        {
            "conversations": entries,
            "page_obj": page_obj,
            "page_range": paginator.get_elided_page_range(page_obj.number),
        },
    )


def _conversation_or_404(request, pk: int) -> tuple[Conversation, bool]:
    """The conversation and whether the visitor speaks for its organisation."""
    conversation = get_object_or_404(
        Conversation.objects.select_related(
            "organisation", "sender__member_profile", "sender_organisation"
        ),
        pk=pk,
    )
    represented = rules.represented_ids(request.user)
    if not rules.can_read(request.user, conversation, represented):
        raise Http404
    return conversation, rules.speaks_for_organisation(request.user, conversation, represented)


def _conversation_url(conversation: Conversation, page: int | None = None) -> str:
    url = reverse("community:relay_conversation", args=[conversation.pk])
    return f"{url}?page={page}" if page and page > 1 else url


@login_required
def conversation_page(request, pk: int):
    conversation, for_organisation = _conversation_or_404(request, pk)
    paginator = Paginator(conversation.messages.all(), MESSAGES_PER_PAGE)
    raw = request.GET.get("page", "")
    number, notice = parse_page_number(raw, paginator.num_pages)
    if notice and request.method == "GET":
        messages.info(request, notice)
    page_obj = paginator.page(number)
    thread = list(page_obj.object_list.select_related("author__member_profile"))
    organisation_name = conversation.organisation.title
    for entry in thread:
        if entry.from_organisation:
            entry.name = rules.representative_name(entry.author)
            entry.on_behalf_of = organisation_name
        else:
            entry.name = rules.sender_name(conversation.sender)
            entry.on_behalf_of = (
                conversation.sender_organisation.title if conversation.sender_organisation else ""
            )
    form = MessageForm(request.POST or None)

    def send(data):
        rules.post_message(request.user, conversation, data["body"])
        messages.success(request, _("Your message was sent."))
        last = (conversation.messages.count() - 1) // MESSAGES_PER_PAGE + 1
        return redirect(_conversation_url(conversation, last))

    return form_page(
        request,
        form,
        send,
        "cobioe_community/relay/conversation.html",
        {
            "conversation": conversation,
            "thread": thread,
            "page_obj": page_obj,
            "page_range": paginator.get_elided_page_range(page_obj.number),
            "for_organisation": for_organisation,
            "sender_label": rules.sender_name(conversation.sender),
            "blocked": for_organisation
            and rules.is_blocked(conversation.sender_id, conversation.organisation_id),
        },
    )


# -- the recipients' tools ---------------------------------------------------------------


def _apply(request, action, success: str) -> None:
    try:
        action()
    except rules.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, success)


@login_required
@require_POST
def block_sender(request, pk: int):
    conversation, _speaks = _conversation_or_404(request, pk)
    _apply(
        request,
        lambda: rules.block_sender(request.user, conversation),
        _("%(name)s can no longer write to your organisation on the platform.")
        % {"name": rules.sender_name(conversation.sender)},
    )
    return redirect(_conversation_url(conversation))


@login_required
@require_POST
def unblock_sender(request, pk: int):
    conversation, _speaks = _conversation_or_404(request, pk)
    _apply(
        request,
        lambda: rules.unblock_sender(request.user, conversation),
        _("%(name)s can write to your organisation again.")
        % {"name": rules.sender_name(conversation.sender)},
    )
    return redirect(_conversation_url(conversation))


@login_required
def report_conversation(request, pk: int):
    conversation, for_organisation = _conversation_or_404(request, pk)
    if not for_organisation:
        raise Http404  # only the recipients report; the sender can simply stop writing
    form = ReportForm(request.POST or None)

    def send(data):
        rules.report(request.user, conversation, data["reason"])
        messages.success(request, _("Thank you: the editors will look at this conversation."))
        return redirect(_conversation_url(conversation))

    return form_page(
        request,
        form,
        send,
        "cobioe_community/relay/report_form.html",
        {"conversation": conversation},
    )
