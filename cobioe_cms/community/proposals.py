"""Members propose working groups; editors approve (a published group, the proposer its
coordinator) or reject them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cobioe_cms.core.ratelimit import allow

from . import notifications
from .memberships import Refused, make_coordinator
from .models import GroupProposal, WorkingGroupIndexPage, WorkingGroupPage

DAY = 24 * 3600
PROPOSALS_PER_DAY = 3


def propose(user, **fields) -> GroupProposal:
    if not allow(f"group-proposal:{user.pk}", PROPOSALS_PER_DAY, DAY):
        raise Refused(_("You have proposed several groups today; try tomorrow."))
    proposal = GroupProposal.objects.create(
        proposer=user, language=translation.get_language() or "", **fields
    )
    notifications.proposal_received(proposal)
    return proposal


def _free_slug(index: WorkingGroupIndexPage, title: str) -> str:
    base = slugify(title)[:60] or "group"
    slug, n = base, 1
    while index.get_children().filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def approve(proposal: GroupProposal, editor, note: str = "") -> WorkingGroupPage:
    if proposal.status != GroupProposal.Status.PENDING:
        raise Refused(_("This proposal was already decided."))
    index = WorkingGroupIndexPage.objects.order_by("path").first()
    if index is None:
        raise Refused(_("There is no working-groups index page: create one first."))
    group = WorkingGroupPage(
        title=proposal.title,
        slug=_free_slug(index, proposal.title),
        summary=proposal.summary,
        # The member's text, escaped: paragraphs, no markup of theirs.
        mission=linebreaks(escape(proposal.mission)),
        membership_policy=proposal.membership_policy,
        discussion_visibility=proposal.discussion_visibility,
        owner=editor,
    )
    index.add_child(instance=group)
    group.save_revision(user=editor).publish(user=editor)
    coordinator = make_coordinator(group, proposal.proposer)
    coordinator.language = proposal.language
    coordinator.save(update_fields=["language"])
    _decide(proposal, editor, GroupProposal.Status.APPROVED, note, group)
    notifications.proposal_decided(proposal)
    return group


@transaction.atomic
def reject(proposal: GroupProposal, editor, note: str = "") -> None:
    if proposal.status != GroupProposal.Status.PENDING:
        raise Refused(_("This proposal was already decided."))
    _decide(proposal, editor, GroupProposal.Status.REJECTED, note)
    notifications.proposal_decided(proposal)


def _decide(proposal, editor, status, note, group=None) -> None:
    proposal.status = status
    proposal.reviewed_by = editor
    proposal.reviewed_at = timezone.now()
    proposal.review_note = note
    proposal.group = group
    proposal.save()
