from .actor_page import ActorPage, ActorPageTag, LocationPrecision, SizeBand
from .cartography_page import CartographyPage

__all__ = ["ActorPage", "ActorPageTag", "CartographyPage", "LocationPrecision", "SizeBand"]
