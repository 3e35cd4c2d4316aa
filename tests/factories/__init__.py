from .actors import ActorPageFactory
from .community import GroupMembershipFactory, ThreadFactory, WorkingGroupPageFactory, make_reply
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
    "ThreadFactory",
    "UserFactory",
    "WatchItemFactory",
    "WorkingGroupPageFactory",
    "make_reply",
]
