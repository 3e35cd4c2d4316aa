from .items import Source, WatchItem
from .interests import DigestDelivery, InterestProfile, ItemFeedback, SavedSearch

__all__ = [
    "DigestDelivery",
    "InterestProfile",
    "ItemFeedback",
    "SavedSearch",
    "Source",
    "WatchItem",
]
