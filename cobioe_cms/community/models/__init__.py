from .groups import WorkingGroupIndexPage, WorkingGroupPage
from .memberships import GroupInvitation, GroupMembership

__all__ = [
    "GroupInvitation",
    "GroupMembership",
    "WorkingGroupIndexPage",
    "WorkingGroupPage",
]
