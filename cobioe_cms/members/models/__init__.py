from .account import MemberProfile
from .logos import PendingLogo
from .organisations import (
    Claim,
    Invitation,
    OrganisationFlag,
    ReminderLog,
    Representative,
)

__all__ = [
    "Claim",
    "Invitation",
    "MemberProfile",
    "OrganisationFlag",
    "PendingLogo",
    "ReminderLog",
    "Representative",
]
