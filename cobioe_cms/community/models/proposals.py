"""A member's proposal of a new working group, decided by the editors."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .groups import WorkingGroupPage


class GroupProposal(models.Model):
    """What a member proposes (name, summary, mission, policy, visibility). An editor
    approves it in the admin: that publishes a :class:`WorkingGroupPage` under the groups
    index and makes the proposer its coordinator; or rejects it with a note. Either way
    the proposer is told by e-mail, in the language they proposed in."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_proposals"
    )
    title = models.CharField(_("name of the group"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300)
    mission = models.TextField(_("mission"), max_length=5000)
    membership_policy = models.CharField(
        _("membership"),
        max_length=12,
        choices=WorkingGroupPage.Policy.choices,
        default=WorkingGroupPage.Policy.APPROVAL,
    )
    discussion_visibility = models.CharField(
        _("discussions visible to"),
        max_length=10,
        choices=WorkingGroupPage.Visibility.choices,
        default=WorkingGroupPage.Visibility.PUBLIC,
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, max_length=2000)
    group = models.ForeignKey(
        WorkingGroupPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("group proposal")
        verbose_name_plural = _("group proposals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
