"""Rules about who represents which organisation, and the review of their profiles.

Views stay thin: they call these functions, which own the rules (who may edit,
how a claim is decided, how a profile enters the editorial workflow).
"""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowState, WorkflowTask

from cobioe_cms.actors.duplicates.profiles import similar_live_actors
from cobioe_cms.actors.models import ActorPage, CartographyPage
from cobioe_cms.core.ratelimit import allow

from . import notifications
from .models import Claim, Invitation, PendingLogo, Representative
from .models.organisations import email_domain, website_domain

REVIEW_WORKFLOW_NAME = "Profile review"
REVIEWER_GROUPS = ("Editors", "Moderators")
DAY = 24 * 3600


class Status:
    DRAFT = _("draft")
    IN_REVIEW = _("in review")
    CHANGES_REQUESTED = _("changes requested")
    PUBLISHED = _("published")
    PUBLISHED_WITH_DRAFT = _("published; newer changes not yet submitted")


def can_edit(user, actor: ActorPage) -> bool:
    """Representatives edit their own organisations; nobody else does here."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Representative.objects.filter(user=user, actor=actor).exists()


def organisations_of(user):
    return (
        ActorPage.objects.filter(representatives__user=user)
        .select_related("organisation_type")
        .order_by("title")
    )


def status_of(actor: ActorPage) -> str:
    state = actor.current_workflow_state
    if state is not None:
        if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            return Status.CHANGES_REQUESTED
        return Status.IN_REVIEW
    if not actor.live:
        return Status.DRAFT
    if actor.has_unpublished_changes:
        return Status.PUBLISHED_WITH_DRAFT
    return Status.PUBLISHED


def suggest_existing(name: str, website: str = "", limit: int = 5) -> list[ActorPage]:
    """Published organisations a new one may duplicate, best first: the platform's one
    duplicate finder (:mod:`cobioe_cms.actors.duplicates`), which knows legal forms
    and near-spellings, over the live profiles; only public ones are shown."""
    ids = similar_live_actors(name, website, 2 * limit)  # some may be private
    if not ids:
        return []
    actors = ActorPage.objects.live().public().filter(pk__in=ids)
    by_id = {actor.pk: actor for actor in actors.only("title", "url_path", "city", "country")}
    return [by_id[pk] for pk in ids if pk in by_id][:limit]


def default_cartography() -> CartographyPage | None:
    return CartographyPage.objects.live().order_by("path").first()


@transaction.atomic
def create_organisation(
    user, actor: ActorPage, parent: CartographyPage, logo: UploadedFile | None = None
) -> ActorPage:
    """Add a new organisation as a draft page; its creator becomes its representative.
    A logo waits, unpublished, for the review (:func:`keep_pending_logo`)."""
    actor.live = False
    actor.owner = user
    parent.add_child(instance=actor)
    revision = actor.save_revision(user=user, log_action=True)
    Representative.objects.create(user=user, actor=actor)
    if logo:
        keep_pending_logo(actor, logo, revision)
    return actor


class InReview(Exception):
    """The profile waits for an editor's decision: a change now would not be what the
    editor reviews, so it is refused until the member withdraws the submission."""


def in_review(actor: ActorPage) -> bool:
    state = actor.current_workflow_state
    return state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS


def _lock(actor: ActorPage) -> None:
    """Saves, submissions and withdrawals of one profile run one after the other (the
    page row is locked until the transaction ends; SQLite locks the whole database)."""
    list(Page.objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True))


@transaction.atomic
def save_draft(actor: ActorPage, user, logo: UploadedFile | None = None) -> None:
    """Store the member's edits as a new revision; the live profile is unchanged.
    Raises :class:`InReview` while an editor reviews the profile."""
    _lock(actor)
    if in_review(actor):
        raise InReview
    revision = actor.save_revision(user=user, log_action=True)
    if logo:
        keep_pending_logo(actor, logo, revision)


def keep_pending_logo(actor: ActorPage, upload: UploadedFile, revision) -> PendingLogo:
    """Keep an uploaded logo in private storage until an editor approves ``revision``
    (or a later one); it replaces a logo still waiting."""
    for older in PendingLogo.objects.filter(actor_id=actor.pk):
        older.delete()
    return PendingLogo.objects.create(actor_id=actor.pk, file=upload, revision=revision)


@transaction.atomic
def withdraw_from_review(actor: ActorPage, user) -> bool:
    """Take a submitted profile back from the editors so that it can be edited again.
    False if it was not in review."""
    _lock(actor)
    state = actor.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        return False
    state.cancel(user=user)
    return True


def review_workflow() -> Workflow:
    """The "Profile review" workflow: one approval task for the editors."""
    workflow, created = Workflow.objects.get_or_create(
        name=REVIEW_WORKFLOW_NAME, defaults={"active": True}
    )
    if created or not WorkflowTask.objects.filter(workflow=workflow).exists():
        task = GroupApprovalTask.objects.create(name="Editorial review of a profile")
        task.groups.set(Group.objects.filter(name__in=REVIEWER_GROUPS))
        # Not workflow.workflow_tasks.create(): a cluster relation only saves with
        # its parent, and a workflow without tasks publishes at once.
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


@transaction.atomic
def submit_for_review(actor: ActorPage, user) -> None:
    """Send the latest revision to the editors (or back to them after changes). The
    editors review that revision, and approving publishes it (``.review``)."""
    _lock(actor)
    state = actor.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=user)
        return
    if state is not None:
        return  # already with the editors, and no change was accepted since
    review_workflow().start(actor, user)


# -- claims ------------------------------------------------------------------------


def claim_evidence(user, actor: ActorPage) -> str:
    """The member's verified e-mail address on the organisation's website domain, or
    "". Only a verified address counts: anyone can type any address."""
    domain = website_domain(actor.website) if actor.website else ""
    if not domain:
        return ""
    for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True
    ):
        mail = email_domain(email)
        if mail == domain or mail.endswith("." + domain):
            return email
    return ""


def request_claim(user, actor: ActorPage, message: str) -> Claim:
    evidence = claim_evidence(user, actor)
    claim = Claim.objects.create(
        user=user,
        actor=actor,
        message=message,
        email=evidence or user.email,
        domain_matches=bool(evidence),
    )
    notifications.claim_received(claim)
    return claim


@transaction.atomic
def decide_claim(claim: Claim, editor, approve: bool, note: str = "") -> None:
    claim.status = Claim.Status.APPROVED if approve else Claim.Status.REJECTED
    claim.reviewed_by = editor
    claim.reviewed_at = timezone.now()
    claim.review_note = note
    claim.save()
    if approve:
        Representative.objects.get_or_create(user=claim.user, actor=claim.actor)
    notifications.claim_decided(claim)


# -- invitations -------------------------------------------------------------------


# A representative's invitations go to addresses they type: limits per sender and per
# recipient, so that nobody uses the platform to mail strangers.
INVITATIONS_PER_SENDER_PER_DAY = 20
INVITATIONS_PER_ADDRESS_PER_DAY = 3
EDITOR_INVITE_PERMISSION = "cobioe_members.add_invitation"


def has_verified_address(user) -> bool:
    """The account's own address, the one its e-mails name, is verified."""
    return bool(user.email) and (
        EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    )


def invitation_refusal(user, actor: ActorPage, email: str) -> str:
    """Why ``user`` may not invite ``email`` to co-represent ``actor``, or "" if they
    may. Counts the attempt against the limits when the other rules pass."""
    if not actor.live:
        return _(
            "You can invite colleagues once the profile is published: the editors review it first."
        )
    if not has_verified_address(user):
        return _("Verify your e-mail address before you invite colleagues.")
    if actor.invitations.filter(
        email__iexact=email,
        accepted_at__isnull=True,
        created_at__gt=timezone.now() - timedelta(days=Invitation.VALID_FOR_DAYS),
    ).exists():
        return _("An invitation to this address is already waiting for an answer.")
    if not allow(f"invite:{user.pk}", INVITATIONS_PER_SENDER_PER_DAY, DAY):
        return _("You have sent many invitations today; try tomorrow.")
    if not allow(f"invite-to:{email.lower()}", INVITATIONS_PER_ADDRESS_PER_DAY, DAY):
        return _("This address has received several invitations today; try tomorrow.")
    return ""


def invite(actor: ActorPage, email: str, inviter) -> Invitation:
    invitation = Invitation.objects.create(actor=actor, email=email, invited_by=inviter)
    notifications.invitation_sent(invitation)
    return invitation


def invitation_is_valid(invitation: Invitation) -> bool:
    """Unused, not expired, and its inviter may still invite: a representative of the
    organisation, or an editor (who invite organisations' public contacts)."""
    if invitation.accepted_at or invitation.is_expired:
        return False
    inviter = invitation.invited_by
    if inviter is None or not inviter.is_active:
        return False
    if Representative.objects.filter(user=inviter, actor_id=invitation.actor_id).exists():
        return True
    return inviter.has_perm(EDITOR_INVITE_PERMISSION)


def drop_invitations_of(representative: Representative) -> int:
    """Pending invitations a representative sent for their organisation, deleted when
    they stop representing it."""
    deleted, _by_model = Invitation.objects.filter(
        actor_id=representative.actor_id,
        invited_by_id=representative.user_id,
        accepted_at__isnull=True,
    ).delete()
    return deleted


@transaction.atomic
def accept_invitation(invitation: Invitation, user) -> Representative:
    representative, _created = Representative.objects.get_or_create(
        user=user, actor=invitation.actor, defaults={"invited_by": invitation.invited_by}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return representative


def unrepresented_organisations():
    """Organisations with a contact e-mail and no representative, oldest first."""
    return (
        ActorPage.objects.filter(representatives__isnull=True)
        .exclude(contact_email="")
        .annotate(
            pending_invitations=models.Count(
                "invitations", filter=models.Q(invitations__accepted_at__isnull=True)
            )
        )
        .order_by("title")
    )


def invite_contacts(actors, editor) -> int:
    """Invite each organisation's public contact address to represent it (skipping
    those already invited and not yet answered). Returns how many were sent."""
    sent = 0
    for actor in actors:
        if actor.invitations.filter(accepted_at__isnull=True, email=actor.contact_email).exists():
            continue
        invite(actor, actor.contact_email, editor)
        sent += 1
    return sent
