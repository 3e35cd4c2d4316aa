"""Posting collaboration opportunities: who may, and what each step does.

Only an organisation's representatives post, edit, close, reopen and renew its
opportunities (:func:`can_edit`). An opportunity goes through the profiles' review:
a draft is a page created unpublished under the board, each save a revision
(:func:`cobioe_cms.members.organisations.save_draft`), the representative submits it to
the "Profile review" workflow, an editor approves it in the Wagtail admin, and what is
published is the revision the editor reviewed (:mod:`cobioe_cms.members.review`).

Closing, reopening and renewing change no reviewed text, only whether and until when
the opportunity is on the board: they apply at once, without review, to the live page
and to every revision since the live one (so that an approval pending meanwhile does
not undo them, as :func:`~cobioe_cms.members.review.release_pending_logo` carries a logo
forward).

Reminders (:func:`send_reminders`, run daily by ``manage.py send_opportunity_reminders``)
go to the organisation's representatives :data:`REMINDER_DAYS` before the expiry date,
once per expiry date, with a one-click renewal link.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Revision, WorkflowState
from wagtail.signals import workflow_approved, workflow_rejected

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.members import organisations as orgs
from cobioe_cms.members.models import Representative
from cobioe_cms.members.notifications import absolute

from .models import OpportunityBoardPage, OpportunityPage
from .models.opportunities import MAX_DURATION_DAYS, REMINDER_DAYS, latest_expiry
from .notifications import language_for, language_of

logger = logging.getLogger(__name__)

InReview = orgs.InReview
DEFAULT_DURATION_DAYS = 90  # a renewal's duration when the previous one is unknown


class Refused(Exception):
    """A step the rules do not allow now; its message says why."""


class Status:
    """Where an opportunity stands, as its representatives see it."""

    DRAFT = _("draft")
    IN_REVIEW = _("in review")
    CHANGES_REQUESTED = _("changes requested")
    PUBLISHED = _("published")
    PUBLISHED_WITH_DRAFT = _("published; newer changes not yet submitted")
    CLOSED = _("closed")
    EXPIRED = _("expired")


# -- who may -----------------------------------------------------------------------------


def represents(user, actor_id: int | None) -> bool:
    if actor_id is None or not user.is_authenticated or not user.is_active:
        return False
    return Representative.objects.filter(user=user, actor_id=actor_id).exists()


def can_edit(user, opportunity: OpportunityPage) -> bool:
    """The organisation's representatives, and nobody else here (editors use the admin)."""
    return represents(user, opportunity.organisation_id)


def postable_organisations(user):
    """The published organisations ``user`` represents: an opportunity of a draft or
    merged profile would never be on the board."""
    return orgs.organisations_of(user).filter(live=True, merged_into__isnull=True)


def board() -> OpportunityBoardPage | None:
    return OpportunityBoardPage.objects.order_by("path").first()


# -- where it stands --------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """An opportunity in its representative's list, with where it stands."""

    page: OpportunityPage
    status: str
    in_review: bool

    @property
    def can_close(self) -> bool:
        return self.page.live and self.page.status == OpportunityPage.Status.OPEN

    @property
    def can_reopen(self) -> bool:
        return self.page.live and self.status in (Status.CLOSED, Status.EXPIRED)


def status_of(
    page: OpportunityPage, workflow_status: str | None = None, today: date | None = None
) -> str:
    """``workflow_status``: the status of the page's active workflow state, if known
    (None: none active); read from the database when not given."""
    if workflow_status is None and page.pk:
        state = page.current_workflow_state
        workflow_status = state.status if state is not None else ""
    if workflow_status == WorkflowState.STATUS_NEEDS_CHANGES:
        return Status.CHANGES_REQUESTED
    if workflow_status == WorkflowState.STATUS_IN_PROGRESS:
        return Status.IN_REVIEW
    if not page.live:
        return Status.DRAFT
    if page.status == OpportunityPage.Status.CLOSED:
        return Status.CLOSED
    if page.is_expired(today):
        return Status.EXPIRED
    if page.has_unpublished_changes:
        return Status.PUBLISHED_WITH_DRAFT
    return Status.PUBLISHED


def in_review(page: OpportunityPage) -> bool:
    return orgs.in_review(page)


def opportunities_of(user, limit: int | None = None) -> list[Listed]:
    """The opportunities of the organisations ``user`` represents, latest change first,
    with their status (two queries, however many)."""
    pages = (
        OpportunityPage.objects.filter(organisation__representatives__user=user)
        .select_related("organisation")
        .order_by("-latest_revision_created_at", "-pk")
        .distinct()
    )
    if limit:
        pages = pages[:limit]
    pages = list(pages)
    states = {}
    if pages:
        base = pages[0].get_base_content_type()
        states = dict(
            WorkflowState.objects.active()
            .filter(base_content_type=base, object_id__in=[str(page.pk) for page in pages])
            .values_list("object_id", "status")
        )
    today = timezone.localdate()
    listed = []
    for page in pages:
        workflow_status = states.get(str(page.pk), "")
        listed.append(
            Listed(
                page,
                status_of(page, workflow_status, today),
                workflow_status == WorkflowState.STATUS_IN_PROGRESS,
            )
        )
    return listed


# -- drafts and review ------------------------------------------------------------------


def _unique_slug(parent: Page, title: str) -> str:
    base = slugify(title)[:50].strip("-") or "opportunity"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create(user, opportunity: OpportunityPage, parent: OpportunityBoardPage) -> OpportunityPage:
    """Add ``opportunity`` as a draft page under the board, its first revision saved.
    Refused unless ``user`` represents its organisation."""
    if not represents(user, opportunity.organisation_id):
        raise Refused(_("You do not represent this organisation."))
    opportunity.live = False
    opportunity.owner = user
    opportunity.posted_by = user
    opportunity.slug = _unique_slug(parent, opportunity.title)
    parent.add_child(instance=opportunity)
    opportunity.save_revision(user=user, log_action=True)
    return opportunity


def save_draft(opportunity: OpportunityPage, user) -> None:
    """A new revision; the live page is unchanged. Raises :data:`InReview` while an
    editor reviews it."""
    orgs.save_draft(opportunity, user)


def submit(opportunity: OpportunityPage, user) -> None:
    orgs.submit_for_review(OpportunityPage.objects.get(pk=opportunity.pk), user)


def withdraw(opportunity: OpportunityPage, user) -> bool:
    return orgs.withdraw_from_review(opportunity, user)


# -- close, reopen, renew (no review) ---------------------------------------------------


def _lock(page: OpportunityPage) -> OpportunityPage:
    list(Page.objects.select_for_update().filter(pk=page.pk).values_list("pk", flat=True))
    return OpportunityPage.objects.get(pk=page.pk)


def _as_json(value):
    if isinstance(value, (date, datetime)):
        return DjangoJSONEncoder().default(value)
    return value


def _apply(page: OpportunityPage, user, **changes) -> OpportunityPage:
    """Set ``changes`` on the live page and on the revisions since the live one."""
    for name, value in changes.items():
        setattr(page, name, value)
    page.save(update_fields=list(changes))
    if page.live_revision_id is not None:
        revisions = Revision.objects.filter(
            base_content_type_id=page.get_base_content_type().pk,
            object_id=str(page.pk),
            pk__gte=page.live_revision_id,
        )
        for revision in revisions:
            revision.content.update({name: _as_json(value) for name, value in changes.items()})
            revision.save(update_fields=["content"])
    logger.info("Opportunity %s: %s by %s", page.pk, sorted(changes), user)
    return page


@transaction.atomic
def close(opportunity: OpportunityPage, user) -> OpportunityPage:
    """Take a published opportunity off the board (no review needed)."""
    page = _lock(opportunity)
    if not page.live:
        raise Refused(_("Only a published opportunity can be closed."))
    if page.status == OpportunityPage.Status.CLOSED:
        raise Refused(_("This opportunity is already closed."))
    return _apply(page, user, status=OpportunityPage.Status.CLOSED)


def renewed_expiry(page: OpportunityPage, today: date | None = None) -> date:
    """Today plus the duration of the period that ends on ``page.expires_on`` (from the
    first revision that chose that date), at most :data:`MAX_DURATION_DAYS`."""
    today = today or timezone.localdate()
    start = None
    chosen = page.expires_on.isoformat()
    revisions = Revision.objects.filter(
        base_content_type_id=page.get_base_content_type().pk, object_id=str(page.pk)
    ).order_by("pk")
    for created_at, content in revisions.values_list("created_at", "content").iterator():
        if isinstance(content, dict) and content.get("expires_on") == chosen:
            start = timezone.localdate(created_at)
            break
    days = (page.expires_on - start).days if start else 0
    if days <= 0:
        days = DEFAULT_DURATION_DAYS
    return min(today + timedelta(days=days), latest_expiry(today))


@transaction.atomic
def renew(opportunity: OpportunityPage, user, today: date | None = None) -> OpportunityPage:
    """One more period, as long as the last (capped), open again; no review needed."""
    page = _lock(opportunity)
    if not page.live:
        raise Refused(_("Only a published opportunity can be renewed."))
    return _apply(
        page,
        user,
        expires_on=renewed_expiry(page, today),
        status=OpportunityPage.Status.OPEN,
        reminded_at=None,
    )


@transaction.atomic
def reopen(opportunity: OpportunityPage, user) -> OpportunityPage:
    """Back on the board; an expired one is renewed."""
    page = _lock(opportunity)
    if not page.live:
        raise Refused(_("Only a published opportunity can be reopened."))
    if page.is_expired():
        return renew(page, user)
    if page.status == OpportunityPage.Status.OPEN:
        raise Refused(_("This opportunity is already open."))
    return _apply(page, user, status=OpportunityPage.Status.OPEN)


# -- e-mails ----------------------------------------------------------------------------


def _link(name: str, pk: int):
    return lambda: absolute(reverse(f"community:{name}", args=[pk]))


def _page_link(page: OpportunityPage):
    return lambda: absolute(page.url or "")


def _send(template: str, context: dict, user) -> int:
    """One e-mail to ``user`` in their language (the one they last used in the
    community); links (callables in ``context``) are made in that language."""
    if not user.email:
        return 0
    with translation.override(language_of(language_for(user))):
        context = {
            "site_name": settings.WAGTAIL_SITE_NAME,
            "user": user,
            **{name: value() if callable(value) else value for name, value in context.items()},
        }
        subject = render_to_string(f"cobioe_community/emails/{template}_subject.txt", context)
        body = render_to_string(f"cobioe_community/emails/{template}.txt", context)
    return EmailMessage(
        " ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email]
    ).send()


def _representatives(opportunity: OpportunityPage):
    return [
        representative.user
        for representative in Representative.objects.filter(
            actor_id=opportunity.organisation_id, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
    ]


def review_decided(opportunity: OpportunityPage, approved: bool, comment: str = "") -> int:
    """Each representative hears of the editors' decision."""
    sent = 0
    for user in _representatives(opportunity):
        sent += _send(
            "opportunity_review_decided",
            {
                "opportunity": opportunity,
                "approved": approved,
                "comment": comment,
                "edit_url": _link("edit_opportunity", opportunity.pk),
                "page_url": _page_link(opportunity),
            },
            user,
        )
    return sent


def _opportunity_of(workflow_state) -> OpportunityPage | None:
    page = workflow_state.content_object
    specific = getattr(page, "specific", page)
    return specific if isinstance(specific, OpportunityPage) else None


def on_approved(sender, instance, user=None, **kwargs):
    opportunity = _opportunity_of(instance)
    if opportunity is not None:
        opportunity.refresh_from_db()
        review_decided(opportunity, approved=True)


def on_changes_requested(sender, instance, user=None, **kwargs):
    opportunity = _opportunity_of(instance)
    if opportunity is None:
        return
    task_state = instance.current_task_state
    comment = getattr(task_state, "comment", "") if task_state else ""
    review_decided(opportunity, approved=False, comment=comment or "")


def connect() -> None:
    """Representatives hear of the editors' decisions on their opportunities (as
    :mod:`cobioe_cms.members.signals` tells them about their profiles)."""
    workflow_approved.connect(on_approved, dispatch_uid="opportunity-approved")
    workflow_rejected.connect(on_changes_requested, dispatch_uid="opportunity-changes-requested")


def _reminded(page: OpportunityPage) -> bool:
    """Were the representatives reminded of the current expiry date? (A reminder
    before its reminder period was about an earlier date.)"""
    period_start = page.expires_on - timedelta(days=REMINDER_DAYS)
    return page.reminded_at is not None and timezone.localdate(page.reminded_at) >= period_start


def due_for_reminder(today: date | None = None) -> list[OpportunityPage]:
    """Published, open opportunities of live organisations that expire within
    :data:`REMINDER_DAYS` and whose representatives were not yet reminded of this
    expiry date."""
    today = today or timezone.localdate()
    pages = OpportunityPage.objects.current(today).filter(
        expires_on__lte=today + timedelta(days=REMINDER_DAYS)
    )
    return [page for page in pages.order_by("expires_on", "pk") if not _reminded(page)]


def send_reminders(today: date | None = None) -> tuple[int, int]:
    """E-mail the representatives of each opportunity due for a reminder, with its
    one-click renewal link. Returns (opportunities, e-mails)."""
    today = today or timezone.localdate()
    opportunities = emails = 0
    for page in due_for_reminder(today):
        with transaction.atomic():
            page = _lock(page)
            if _reminded(page):
                continue  # another run got there first
            for user in _representatives(page):
                emails += _send(
                    "opportunity_reminder",
                    {
                        "opportunity": page,
                        "days_left": (page.expires_on - today).days,
                        "renew_url": _link("renew_opportunity", page.pk),
                        "edit_url": _link("edit_opportunity", page.pk),
                        "page_url": _page_link(page),
                        "max_days": MAX_DURATION_DAYS,
                    },
                    user,
                )
            _apply(page, None, reminded_at=timezone.now())
            opportunities += 1
    return opportunities, emails


def organisation_or_none(user, pk) -> ActorPage | None:
    """One of the organisations ``user`` may post for, by id; None for any other."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < number < 2**31:
        return None
    return postable_organisations(user).filter(pk=number).first()
