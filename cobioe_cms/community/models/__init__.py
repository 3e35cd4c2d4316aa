from .discussions import (
    DEFAULT_DELIVERY,
    Follow,
    Notification,
    NotificationPreference,
    Reply,
    Thread,
)
from .groups import WorkingGroupIndexPage, WorkingGroupPage
from .memberships import GroupInvitation, GroupMembership
from .proposals import GroupProposal

__all__ = [
    "DEFAULT_DELIVERY",
    "Follow",
    "GroupInvitation",
    "GroupMembership",
    "GroupProposal",
    "Notification",
    "NotificationPreference",
    "Reply",
    "Thread",
    "WorkingGroupIndexPage",
    "WorkingGroupPage",
]
