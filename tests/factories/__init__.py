from .actors import ActorPageFactory
from .community import GroupMembershipFactory, WorkingGroupPageFactory
from .members import ClaimFactory, MemberFactory, RepresentativeFactory
from .news import NewsPageFactory
from .users import EditorFactory, SuperuserFactory, UserFactory
from .watch import SourceFactory, WatchItemFactory

__all__ = [
    "ActorPageFactory",
    "ClaimFactory",
    "EditorFactory",
    "GroupMembershipFactory",
    "MemberFactory",
    "NewsPageFactory",
    "RepresentativeFactory",
    "SourceFactory",
    "SuperuserFactory",
    "UserFactory",
    "WatchItemFactory",
    "WorkingGroupPageFactory",
]
