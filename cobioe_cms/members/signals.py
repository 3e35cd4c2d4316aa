"""Tell representatives what the editors decided about their profile, and keep the
members' links right when editors merge duplicate organisations."""

from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.signals import workflow_approved, workflow_rejected

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.actors.signals import actors_merge_preview, actors_merged

from . import notifications
from .models import Claim, PendingLogo, Representative
from .organisations import drop_invitations_of


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


def _reviewed(actor: ActorPage) -> bool:
    """Has an editor ever published the profile? Representing a draft nobody reviewed
    proves nothing about the organisation it looks like."""
    return ActorPage.objects.filter(pk=actor.pk, first_published_at__isnull=False).exists()


@receiver(actors_merged)
def move_people_to_the_kept_organisation(sender, kept, removed, user=None, **kwargs):
    """Representatives and pending claims of a merged duplicate follow it; the
    representatives of a profile never published become claims for the editors."""
    reviewed = _reviewed(removed)
    for representative in Representative.objects.filter(actor=removed).select_related("user"):
        person = representative.user
        if Representative.objects.filter(user=person, actor=kept).exists():
            continue
        if reviewed:
            Representative.objects.create(
                user=person, actor=kept, invited_by=representative.invited_by
            )
        elif not Claim.objects.filter(
            user=person, actor=kept, status=Claim.Status.PENDING
        ).exists():
            Claim.objects.create(
                user=person,
                actor=kept,
                email=person.email,
                message=_("Represented “%(title)s”, a draft merged into this profile.")
                % {"title": removed.title},
            )
    Representative.objects.filter(actor=removed).delete()
    for claim in Claim.objects.filter(actor=removed, status=Claim.Status.PENDING):
        if not Claim.objects.filter(
            actor=kept, user=claim.user, status=Claim.Status.PENDING
        ).exists():
            claim.actor = kept
            claim.save(update_fields=["actor"])


@receiver(actors_merge_preview)
def describe_people_of_a_merge(sender, kept, removed, **kwargs) -> list[str]:
    """What the merge will do to the removed profile's representatives and claims."""
    staying = Representative.objects.filter(actor=kept).values("user")
    people = Representative.objects.filter(actor=removed).exclude(user__in=staying).count()
    claims = Claim.objects.filter(actor=removed, status=Claim.Status.PENDING).count()
    names = {"kept": kept.title, "removed": removed.title}
    if not people:
        sentences = [_("Nobody else represents “%(removed)s”.") % names]
    elif _reviewed(removed):
        sentences = [
            ngettext(
                "%(n)d person who represents “%(removed)s” will represent “%(kept)s”.",
                "%(n)d people who represent “%(removed)s” will represent “%(kept)s”.",
                people,
            )
            % {**names, "n": people}
        ]
    else:
        sentences = [
            ngettext(
                "%(n)d person represents “%(removed)s”, never published: they will not "
                "represent “%(kept)s”, their request becomes a claim for the editors.",
                "%(n)d people represent “%(removed)s”, never published: they will not "
                "represent “%(kept)s”, their requests become claims for the editors.",
                people,
            )
            % {**names, "n": people}
        ]
    if claims:
        sentences.append(
            ngettext(
                "%(n)d pending claim on “%(removed)s” will move to “%(kept)s”.",
                "%(n)d pending claims on “%(removed)s” will move to “%(kept)s”.",
                claims,
            )
            % {**names, "n": claims}
        )
    return sentences


@receiver(pre_delete, sender=Representative)
def invitations_end_with_their_inviter(sender, instance, **kwargs):
    """Someone who stops representing an organisation can no longer bring colleagues
    in: their pending invitations for it go (before the account's deletion empties
    ``invited_by``)."""
    drop_invitations_of(instance)


@receiver(post_delete, sender=PendingLogo)
def remove_the_private_file(sender, instance, **kwargs):
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
