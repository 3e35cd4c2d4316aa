from django import template

from ..models import GroupMembership

register = template.Library()


@register.simple_tag
def groups_of(user) -> dict:
    """The member's groups and their requests still waiting, for their dashboard."""
    if not user.is_authenticated:
        return {"active": [], "pending": []}
    rows = (
        GroupMembership.objects.filter(
            user=user, status__in=[GroupMembership.Status.ACTIVE, GroupMembership.Status.PENDING]
        )
        .select_related("group")
        .order_by("group__title")
    )
    rows = [m for m in rows if m.group.live]
    return {
        "active": [m for m in rows if m.is_active],
        "pending": [m for m in rows if m.status == GroupMembership.Status.PENDING],
    }
