from .interests import DigestDelivery, InterestProfile, ItemFeedback, SavedSearch
from .items import Source, WatchItem

__all__ = [
    "DigestDelivery",
    "InterestProfile",
    "ItemFeedback",
    "SavedSearch",
    "Source",
    "WatchItem",
]
