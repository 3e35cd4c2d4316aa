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
from .opportunities import OpportunityBoardPage, OpportunityPage
from .proposals import GroupProposal
from .relay import Conversation, RelayMessage, RelayReport, SenderBlock

__all__ = [
    "Conversation",
    "DEFAULT_DELIVERY",
    "Follow",
    "GroupInvitation",
    "GroupMembership",
    "GroupProposal",
    "Notification",
    "NotificationPreference",
    "OpportunityBoardPage",
    "OpportunityPage",
    "RelayMessage",
    "RelayReport",
    "Reply",
    "SenderBlock",
    "Thread",
    "WorkingGroupIndexPage",
    "WorkingGroupPage",
]
