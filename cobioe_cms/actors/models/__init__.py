from .actor_page import ActorPage, ActorPageTag, LocationPrecision, SizeBand
from .cartography_page import CartographyPage
from .search_tokens import ActorSearchToken, write_tokens

__all__ = [
    "ActorPage",
    "ActorPageTag",
    "ActorSearchToken",
    "CartographyPage",
    "LocationPrecision",
    "SizeBand",
    "write_tokens",
]
