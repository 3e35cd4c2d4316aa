"""Demo working groups: one of each membership policy and discussion visibility, under
a groups index, with a demo coordinator; the demo member of ``load_demo_members``
coordinates one group and belongs to another. Each group has a few threads and replies
(:mod:`.community_threads`), written by demo members who joined weeks ago; in the group
the demo member coordinates, a newcomer's reply waits for moderation and a reply was
reported. Loaded only where ``cobioe_cms.community`` is installed (the caller checks);
idempotent."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django_comments.models import CommentFlag
from wagtail.models import Page

from cobioe_cms.community.discussions import recount
from cobioe_cms.community.memberships import make_coordinator
from cobioe_cms.community.models import (
    GroupMembership,
    Reply,
    Thread,
    WorkingGroupIndexPage,
    WorkingGroupPage,
)
from cobioe_cms.community.text import quoted
from cobioe_cms.core.conf import conf
from cobioe_cms.core.models import Modality, TherapeuticArea, ValueChainStage

from .community_threads import COORDINATOR, NEW_PEOPLE, PEOPLE, THREADS

DEMO_COORDINATOR = ("demo-coordinator", "coordinator@example.org", "Demo Coordinator")
# The demo member coordinates the first group and is a member of the second.
MEMBER_COORDINATES, MEMBER_BELONGS_TO = "mrna-scale-up", "cell-therapy-qc"

# (slug, title, policy, visibility, summary, stage, modality, area, countries)
GROUPS = (
    ("mrna-scale-up", "mRNA scale-up", "open", "public",
     "Sharing what works when mRNA processes leave the lab.", "production",
     "mrna-nucleic-acids", "", "FR,DE"),
    ("cell-therapy-qc", "Cell therapy quality control", "approval", "public",
     "Release testing and potency assays for cell therapies.", "", "cell-therapies",
     "oncology", "FR,PT"),
    ("viral-vectors", "Viral vector manufacturing", "invitation", "public",
     "Capacity and know-how for AAV and lentiviral vectors.", "production",
     "gene-therapies-viral-vectors", "", "DE,DK"),
    ("regulatory-watch", "Regulatory watch", "open", "members",
     "Members compare notes on new guidelines, away from the public.", "", "", "", "BE"),
    ("skills-and-training", "Skills and training", "approval", "members",
     "Training programmes for bioproduction operators.", "training", "", "", "PT,FR"),
    ("consortium-steering", "Consortium steering", "invitation", "members",
     "The consortium's coordination of the platform.", "", "", "", ""),
)  # fmt: skip


# Demo members joined this long ago, so that their posts are not held as a newcomer's.
JOINED_DAYS_AGO = 90


def _demo_user(username: str, email: str, full_name: str, joined=None):
    from cobioe_cms.members.models import MemberProfile

    user = get_user_model().objects.filter(email=email).first()
    if user is None:
        user = get_user_model().objects.create_user(username, email)  # no usable password
        if joined is not None:
            get_user_model().objects.filter(pk=user.pk).update(date_joined=joined)
            user.date_joined = joined
        MemberProfile.objects.create(user=user, full_name=full_name)
    return user


def _terms(model, slug: str) -> list:
    return list(model.objects.filter(slug=slug)) if slug else []


@transaction.atomic
def ensure_groups(parent: Page) -> tuple[WorkingGroupIndexPage, int]:
    """The groups index (any existing one, else under ``parent``) and the demo groups
    missing from it; returns the index and how many groups were created."""
    index = WorkingGroupIndexPage.objects.order_by("path").first()
    if index is None:
        index = parent.add_child(
            instance=WorkingGroupIndexPage(
                title="Working groups",
                slug="working-groups",
                show_in_menus=True,
                intro="<p>Actors of the sector work together in thematic groups.</p>",
            )
        )
    coordinator = _demo_user(*DEMO_COORDINATOR)
    created = 0
    for slug, title, policy, visibility, summary, stage, modality, area, countries in GROUPS:
        if WorkingGroupPage.objects.child_of(index).filter(slug=slug).exists():
            continue
        group = WorkingGroupPage(
            title=title,
            slug=slug,
            summary=summary,
            mission=f"<p>{summary} (Demo data.)</p>",
            membership_policy=policy,
            discussion_visibility=visibility,
            countries=countries.split(",") if countries else [],
            is_demo=True,
        )
        group.stages = _terms(ValueChainStage, stage)
        group.modalities = _terms(Modality, modality)
        group.therapeutic_areas = _terms(TherapeuticArea, area)
        index.add_child(instance=group)
        group.save_revision().publish()
        make_coordinator(group, coordinator)
        created += 1
    return index, created


def place_demo_member(user) -> bool:
    """The demo member coordinates one demo group and belongs to another (if they exist)."""
    groups = {g.slug: g for g in WorkingGroupPage.objects.filter(is_demo=True)}
    if MEMBER_COORDINATES not in groups or MEMBER_BELONGS_TO not in groups:
        return False
    make_coordinator(groups[MEMBER_COORDINATES], user)
    GroupMembership.objects.get_or_create(
        group=groups[MEMBER_BELONGS_TO], user=user, defaults={"status": "active"}
    )
    # An established member, as the demo's other members: what they post shows at once
    # (a new account's first post waits for a moderator).
    young = timezone.now() - datetime.timedelta(days=conf.COMMUNITY_NEW_ACCOUNT_DAYS)
    if user.date_joined > young:
        joined = timezone.now() - datetime.timedelta(days=JOINED_DAYS_AGO)
        get_user_model().objects.filter(pk=user.pk).update(date_joined=joined)
        user.date_joined = joined
    return True


# -- discussions ---------------------------------------------------------------------


def _mentioned_slug() -> str:
    """The slug of a demo organisation's profile, for the ``@slug`` mention."""
    from cobioe_cms.actors.models import ActorPage

    actor = ActorPage.objects.live().filter(is_demo=True).order_by("path").first()
    return actor.slug if actor is not None else "genopole"


def _people() -> dict:
    """Author key -> user: the demo coordinator and the demo members of the threads."""
    now = timezone.now()
    people = {COORDINATOR: _demo_user(*DEMO_COORDINATOR)}
    for key, (username, email, full_name) in PEOPLE.items():
        joined = now if key in NEW_PEOPLE else now - datetime.timedelta(days=JOINED_DAYS_AGO)
        people[key] = _demo_user(username, email, full_name, joined=joined)
    return people


def _name(user) -> str:
    profile = getattr(user, "member_profile", None)
    return (profile.full_name if profile else "") or user.get_username()


@transaction.atomic
def ensure_threads() -> int:
    """The demo threads (and their replies) missing from the demo groups; returns how
    many threads were created. A thread is known by its group and title."""
    groups = {g.slug: g for g in WorkingGroupPage.objects.filter(is_demo=True)}
    people = _people()
    slug = _mentioned_slug()
    created = 0
    for group_slug, threads in THREADS.items():
        group = groups.get(group_slug)
        if group is None:
            continue
        authors = {author for thread in threads for author in _authors(thread)}
        for key in sorted(authors - {COORDINATOR}):
            GroupMembership.objects.get_or_create(
                group=group, user=people[key], defaults={"status": "active"}
            )
        for thread in threads:
            if group.threads.filter(is_demo=True, title=thread[0]).exists():
                continue
            _create_thread(group, thread, people, slug)
            created += 1
    return created


def _authors(thread) -> set[str]:
    _title, author, _days, _body, _options, replies = thread
    return {author} | {reply[1] for reply in replies}


def _create_thread(group, data, people, slug: str) -> Thread:
    title, author, days_ago, body, options, replies = data
    started = timezone.now() - datetime.timedelta(days=days_ago)
    thread = Thread.objects.create(
        group=group,
        author=people[author],
        author_name=_name(people[author]),
        title=title,
        body=body.replace("{actor}", slug),
        is_pinned=options.get("pinned", False),
        is_locked=options.get("locked", False),
        language=options.get("language", "en"),
        created_at=started,
        last_activity_at=started,
        is_demo=True,
    )
    content_type = ContentType.objects.get_for_model(Thread)
    by_key: dict[str, Reply] = {}
    last = started
    for number, (key, who, parent_key, text, reply_options) in enumerate(replies, start=1):
        parent = by_key.get(parent_key) if parent_key else None
        text = text.replace("{actor}", slug)
        if reply_options.get("quote") and parent is not None:
            text = quoted(parent.comment, parent.user_name) + text
        user = people[who]
        held = reply_options.get("held", False)
        posted = started + datetime.timedelta(hours=5 * number)
        reply = Reply(
            content_type=content_type,
            object_pk=str(thread.pk),
            site_id=settings.SITE_ID,
            user=user,
            user_name=_name(user)[:50],
            user_email=user.email,
            comment=text,
            submit_date=posted,
            is_public=not held,
            parent_id=parent.pk if parent else 0,
            language=options.get("language", "en"),
        )
        reply.save()
        by_key[key] = reply
        if not held:
            last = max(last, posted)
        if reporter := reply_options.get("reported_by"):
            CommentFlag.objects.get_or_create(
                comment=reply, user=people[reporter], flag=CommentFlag.SUGGEST_REMOVAL
            )
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=last)
    recount(thread)
    return thread
