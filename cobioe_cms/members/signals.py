"""Tell representatives what the editors decided about their profile."""

from django.dispatch import receiver
from wagtail.signals import workflow_approved, workflow_rejected

from cobioe_cms.actors.models import ActorPage

from . import notifications


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
