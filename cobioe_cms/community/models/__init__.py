from .groups import WorkingGroupIndexPage, WorkingGroupPage
from .memberships import GroupInvitation, GroupMembership
from .proposals import GroupProposal

__all__ = [
    "GroupInvitation",
    "GroupMembership",
    "GroupProposal",
    "WorkingGroupIndexPage",
    "WorkingGroupPage",
]
