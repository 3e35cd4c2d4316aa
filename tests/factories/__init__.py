from .actors import ActorPageFactory
from .members import ClaimFactory, MemberFactory, RepresentativeFactory
from .news import NewsPageFactory
from .users import EditorFactory, SuperuserFactory, UserFactory
from .watch import SourceFactory, WatchItemFactory

__all__ = [
    "ActorPageFactory",
    "ClaimFactory",
    "EditorFactory",
    "MemberFactory",
    "NewsPageFactory",
    "RepresentativeFactory",
    "SourceFactory",
    "SuperuserFactory",
    "UserFactory",
    "WatchItemFactory",
]
