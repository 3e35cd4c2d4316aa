from .actors import ActorPageFactory
from .news import NewsPageFactory

__all__ = ["ActorPageFactory", "NewsPageFactory"]
