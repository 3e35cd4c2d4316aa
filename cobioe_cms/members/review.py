"""What an editor's approval publishes: the revision they reviewed, nothing newer.

Wagtail's default (``wagtail.workflows.publish_workflow_state``) publishes the latest
revision when a workflow finishes, whoever saved it and whenever. A representative
could then save again while their profile waits for review, and the approval would
publish what no editor saw. ``publish_reviewed_revision`` is set as
``WAGTAIL_FINISH_WORKFLOW_ACTION``: it publishes the revision of the task the editor
approved (the one Wagtail's review preview shows). Newer revisions stay a draft, unless
every one of them was saved by the approving editor (the admin's "save and approve").

A logo uploaded with the reviewed profile (:class:`~.models.PendingLogo`) becomes
public at the same moment, and not before.
"""

from __future__ import annotations

import logging
from pathlib import PurePath

from django.conf import settings
from django.core import checks
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

# Wagtail imports this module while it loads its own models (the setting above names
# it), so models are imported inside the functions.

logger = logging.getLogger(__name__)

FINISH_ACTION = "cobioe_cms.members.review.publish_reviewed_revision"


def reviewed_revision(workflow_state, user=None):
    """The revision an approval of ``workflow_state`` by ``user`` may publish."""
    from wagtail.models import Revision

    content = workflow_state.content_object
    latest = content.get_latest_revision()
    task_state = workflow_state.current_task_state
    reviewed = task_state.revision if task_state is not None else None
    if reviewed is None or latest is None or latest.pk == reviewed.pk:
        return reviewed or latest
    newer = Revision.objects.filter(
        base_content_type_id=reviewed.base_content_type_id,
        object_id=reviewed.object_id,
        pk__gt=reviewed.pk,
    )
    if user is not None and not newer.exclude(user=user).exists():
        return latest  # the approving editor's own edits: they saw them
    logger.warning(
        "Approval of %s publishes revision %s, the one reviewed; newer revision %s stays a draft.",
        content,
        reviewed.pk,
        latest.pk,
    )
    return reviewed


@transaction.atomic
def publish_reviewed_revision(workflow_state, user=None) -> None:
    """``WAGTAIL_FINISH_WORKFLOW_ACTION``: publish the reviewed revision."""
    from cobioe_cms.actors.models import ActorPage

    revision = reviewed_revision(workflow_state, user)
    if revision is None:
        return
    content = revision.as_object()
    if isinstance(content, ActorPage):
        release_pending_logo(content, revision)
    revision.publish(user=user)


def release_pending_logo(actor, revision) -> None:
    """Make the logo uploaded with ``revision`` (or before it) the profile's image: a
    Wagtail image in the public media, set on ``revision`` and on the revisions saved
    since the upload (the member's newer drafts keep it). A logo uploaded after
    ``revision`` waits for its own review."""
    from wagtail.images import get_image_model
    from wagtail.models import Revision

    from .models import PendingLogo

    pending = PendingLogo.objects.filter(actor_id=actor.pk).first()
    if pending is None or pending.revision_id is None or pending.revision_id > revision.pk:
        return

    try:
        with pending.file.open("rb") as source:
            data = source.read()
    except OSError:
        # The file went missing (a lost disk, a restore without it): the approval
        # still publishes the profile, without this logo.
        logger.exception("Logo awaiting review of %s is unreadable; dropped.", actor)
        pending.delete()
        return
    image = get_image_model()(
        title=_("Logo of %(name)s") % {"name": actor.title},
        file=ContentFile(data, name=PurePath(pending.file.name).name),
    )
    image.save()
    since_upload = Revision.objects.filter(
        base_content_type_id=revision.base_content_type_id,
        object_id=revision.object_id,
        pk__gte=pending.revision_id,
    )
    # Each revision saved with the upload or after it, unless its logo was changed
    # since (an editor picking another image, say).
    uploaded_with = pending.revision.content.get("logo") if pending.revision else None
    for later in since_upload:
        if later.content.get("logo") == uploaded_with:
            later.content["logo"] = image.pk
            later.save(update_fields=["content"])
    revision.refresh_from_db(fields=["content"])
    pending.delete()


@checks.register()
def check_finish_action(app_configs, **kwargs):
    """Without this action, approving a profile publishes its latest revision."""
    if getattr(settings, "WAGTAIL_FINISH_WORKFLOW_ACTION", "") != FINISH_ACTION:
        return [
            checks.Warning(
                "Approving a profile may publish changes no editor reviewed.",
                hint=f'Set WAGTAIL_FINISH_WORKFLOW_ACTION = "{FINISH_ACTION}".',
                id="cobioe_members.W020",
            )
        ]
    return []
