"""Tell representatives what the editors decided about their profile, and keep the
members' links right when editors merge duplicate organisations."""

from django.dispatch import receiver
from wagtail.signals import workflow_approved, workflow_rejected

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.actors.signals import actors_merged

from . import notifications
from .models import Claim, Representative


def _actor_of(workflow_state) -> ActorPage | None:
    page = workflow_state.content_object
    specific = getattr(page, "specific", page)
    return specific if isinstance(specific, ActorPage) else None


@receiver(workflow_approved)
def on_profile_approved(sender, instance, user=None, **kwargs):
    actor = _actor_of(instance)
    if actor is not None:
        notifications.review_decided(actor, approved=True)


@receiver(workflow_rejected)
def on_changes_requested(sender, instance, user=None, **kwargs):
    actor = _actor_of(instance)
    if actor is None:
        return
    task_state = instance.current_task_state
    comment = getattr(task_state, "comment", "") if task_state else ""
    notifications.review_decided(actor, approved=False, comment=comment or "")


@receiver(actors_merged)
def move_people_to_the_kept_organisation(sender, kept, removed, user=None, **kwargs):
    """Representatives and pending claims of a merged duplicate follow it."""
    for representative in Representative.objects.filter(actor=removed):
        Representative.objects.get_or_create(
            user=representative.user,
            actor=kept,
            defaults={"invited_by": representative.invited_by},
        )
    Representative.objects.filter(actor=removed).delete()
    for claim in Claim.objects.filter(actor=removed, status=Claim.Status.PENDING):
        if not Claim.objects.filter(
            actor=kept, user=claim.user, status=Claim.Status.PENDING
        ).exists():
            claim.actor = kept
            claim.save(update_fields=["actor"])
