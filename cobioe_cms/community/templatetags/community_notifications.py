"""The header's unread count and the group page's follow button."""

from django import template

from .. import activity
from ..models import Notification

register = template.Library()


@register.simple_tag
def unread_notifications(user) -> int:
    """A member's unread notifications: one query; none for a visitor."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at=None).count()


@register.simple_tag
def group_follow(user, group) -> dict:
    """Whether ``user`` may follow ``group`` and whether they do."""
    allowed = activity.can_follow_group(user, group)
    return {"allowed": allowed, "following": allowed and activity.is_following_group(user, group)}
