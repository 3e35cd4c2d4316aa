"""A representative's pages for their organisations' opportunities: the list, the form
(create, edit, save a draft, submit for review, withdraw) and the one-step actions
(close, reopen, renew). The rules are :mod:`.opportunities`'; an opportunity of an
organisation the member does not represent is a 404. Changes are POST-only with
Django's CSRF check; a refused or invalid post shows the form again as filled, 400."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from wagtail.models import WorkflowState

from cobioe_cms.members.auth import verified_member_required

from . import opportunities as rules
from .models import OpportunityPage
from .opportunity_forms import OpportunityForm

MAX_ID = 2**31 - 1
IN_REVIEW_MESSAGE = _lazy(
    "The editors are reviewing this opportunity: changes cannot be saved until they "
    "decide. What you typed is still in the form below; to save it now, withdraw the "
    "opportunity from review."
)
INVALID_MESSAGE = _lazy("Please correct the errors below; nothing was saved.")


def _editable(request, pk: int) -> OpportunityPage:
    """The opportunity if the member represents its organisation; 404 otherwise (no
    hint that another organisation's draft exists)."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    page = get_object_or_404(OpportunityPage.objects.select_related("organisation"), pk=pk)
    if not rules.can_edit(request.user, page):
        raise Http404
    return page


def _form_page(request, form, context: dict, status: int = 200):
    return render(
        request,
        "cobioe_community/opportunities/form.html",
        {**context, "form": form},
        status=status,
    )


def _where_it_stands(page: OpportunityPage) -> dict:
    state = page.current_workflow_state  # one query for both
    workflow_status = state.status if state is not None else ""
    return {
        "status": rules.status_of(page, workflow_status),
        "in_review": workflow_status == WorkflowState.STATUS_IN_PROGRESS,
    }


def _back_to_list():
    return redirect("community:my_opportunities")


@verified_member_required
def my_opportunities(request):
    return render(
        request,
        "cobioe_community/opportunities/mine.html",
        {
            "opportunities": rules.opportunities_of(request.user),
            "organisations": rules.postable_organisations(request.user),
        },
    )


@verified_member_required
def new_opportunity(request):
    parent = rules.board()
    if parent is None:
        raise Http404
    organisations = rules.postable_organisations(request.user)
    chosen = rules.organisation_or_none(request.user, request.GET.get("organisation"))
    form = OpportunityForm(
        request.POST or None,
        organisations=organisations,
        initial={"organisation": chosen.pk if chosen else None},
    )
    context = {"creating": True, "can_post": organisations.exists()}
    if request.method != "POST":
        return _form_page(request, form, context)
    if not context["can_post"]:
        messages.error(request, _("You represent no published organisation: nothing was saved."))
    elif form.is_valid():
        opportunity = form.save(commit=False)
        try:
            rules.create(request.user, opportunity, parent)
        except rules.Refused as refusal:
            messages.error(request, str(refusal))
        else:
            if "submit" in request.POST:
                rules.submit(opportunity, request.user)
                messages.success(request, _("Submitted: the editors will review your opportunity."))
                return _back_to_list()
            messages.success(request, _("Draft saved. Submit it for review when it is ready."))
            return redirect("community:edit_opportunity", opportunity.pk)
    else:
        messages.error(request, INVALID_MESSAGE)
    return _form_page(request, form, context, status=400)


@verified_member_required
def edit_opportunity(request, pk: int):
    page = _editable(request, pk)
    draft = page.get_latest_revision_as_object()
    form = OpportunityForm(request.POST or None, instance=draft)
    context = {"opportunity": page, **_where_it_stands(page)}
    if request.method != "POST":
        return _form_page(request, form, context)
    withdrawn = "withdraw" in request.POST and rules.withdraw(page, request.user)
    if rules.in_review(page):
        # Refused, and shown again with what the member typed: nothing is lost.
        messages.error(request, IN_REVIEW_MESSAGE)
    elif form.is_valid():
        draft = form.save(commit=False)
        try:
            rules.save_draft(draft, request.user)
        except rules.InReview:  # submitted from another tab meanwhile
            messages.error(request, IN_REVIEW_MESSAGE)
        else:
            if "submit" in request.POST:
                rules.submit(page, request.user)
                messages.success(request, _("Submitted: the editors will review your changes."))
                return _back_to_list()
            if withdrawn:
                messages.success(
                    request,
                    _(
                        "The opportunity is withdrawn from review and your changes are saved "
                        "as a draft. Submit it again when it is ready."
                    ),
                )
            else:
                messages.success(request, _("Draft saved. Submit it for review when it is ready."))
            return redirect("community:edit_opportunity", page.pk)
    else:
        messages.error(request, INVALID_MESSAGE)
    context.update(_where_it_stands(page))
    return _form_page(request, form, context, status=400)


@verified_member_required
@require_POST
def submit_opportunity(request, pk: int):
    page = _editable(request, pk)
    draft = page.get_latest_revision_as_object()
    if draft.is_expired():
        messages.error(
            request,
            _("Its expiry date has passed: choose a new one, then submit it for review."),
        )
        return redirect("community:edit_opportunity", page.pk)
    rules.submit(page, request.user)
    messages.success(request, _("Submitted: the editors will review your opportunity."))
    return _back_to_list()


@verified_member_required
@require_POST
def withdraw_opportunity(request, pk: int):
    page = _editable(request, pk)
    if rules.withdraw(page, request.user):
        messages.success(request, _("Withdrawn from review: you can edit it again."))
    else:
        messages.info(request, _("This opportunity was not in review."))
    return redirect("community:edit_opportunity", page.pk)


def _one_step(request, pk: int, action, done: str):
    page = _editable(request, pk)
    try:
        action(page, request.user)
    except rules.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done)
    return _back_to_list()


@verified_member_required
@require_POST
def close_opportunity(request, pk: int):
    return _one_step(
        request, pk, rules.close, _("Closed: the opportunity is no longer on the board.")
    )


@verified_member_required
@require_POST
def reopen_opportunity(request, pk: int):
    return _one_step(request, pk, rules.reopen, _("Reopened: the opportunity is on the board."))


@verified_member_required
def renew_opportunity(request, pk: int):
    """The reminder e-mail's link: a page that says what renewing does, and its
    button (a link alone must change nothing)."""
    page = _editable(request, pk)
    if request.method == "POST":
        try:
            page = rules.renew(page, request.user)
        except rules.Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("Renewed: the opportunity is on the board until %(date)s.")
                % {"date": formats.date_format(page.expires_on, "DATE_FORMAT")},
            )
        return _back_to_list()
    return render(
        request,
        "cobioe_community/opportunities/posting_renew.html",
        {
            "opportunity": page,
            "new_expiry": rules.renewed_expiry(page) if page.live else None,
            "today": timezone.localdate(),
        },
    )
