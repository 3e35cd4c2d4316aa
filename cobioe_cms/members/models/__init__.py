from .account import MemberProfile
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
    "ReminderLog",
    "Representative",
]
