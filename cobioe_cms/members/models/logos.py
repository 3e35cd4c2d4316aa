"""Logos uploaded with a draft, kept away from the public until an editor approves it."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cobioe_cms.core.conf import conf


@deconstructible
class PrivateMediaStorage(FileSystemStorage):
    """Files no web server serves: outside ``MEDIA_ROOT`` and without a URL.

    The folder is ``COBIOE_PRIVATE_MEDIA_ROOT``, or ``MEDIA_ROOT`` with "-private"
    appended (``/srv/media`` -> ``/srv/media-private``)."""

    @cached_property
    def base_location(self):
        configured = conf.PRIVATE_MEDIA_ROOT
        if configured:
            return configured
        media = Path(settings.MEDIA_ROOT)
        return str(media.with_name(media.name + "-private"))

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "COBIOE_PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no public URL.")


private_storage = PrivateMediaStorage()


class PendingLogo(models.Model):
    """A logo a representative uploaded with a draft of their organisation's profile.

    It stays in private storage, out of the image library and of the public media,
    until an editor approves a revision saved with it or after it; then it becomes the
    profile's Wagtail image (``cobioe_cms.members.review``). One per organisation: a
    newer upload replaces it.
    """

    actor = models.OneToOneField(
        "cobioe_actors.ActorPage", on_delete=models.CASCADE, related_name="pending_logo"
    )
    file = models.ImageField(storage=private_storage, upload_to="pending-logos/")
    # The draft revision saved with the upload: approving it or a later one releases it.
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("logo awaiting review")
        verbose_name_plural = _("logos awaiting review")

    def __str__(self) -> str:
        return f"{self.actor}: {self.file.name}"
