from .actor_import import ActorImport
from .actor_page import ActorPage, ActorPageTag, LocationPrecision, SizeBand
from .cartography_page import CartographyPage

__all__ = [
    "ActorImport",
    "ActorPage",
    "ActorPageTag",
    "CartographyPage",
    "LocationPrecision",
    "SizeBand",
]
