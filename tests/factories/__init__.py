from .actors import ActorPageFactory

__all__ = ["ActorPageFactory"]
