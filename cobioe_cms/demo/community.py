"""Demo working groups: one of each membership policy and discussion visibility, under
a groups index, with a demo coordinator; the demo member of ``load_demo_members``
coordinates one group and belongs to another. Loaded only where ``cobioe_cms.community``
is installed (the caller checks); idempotent."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Page

from cobioe_cms.community.memberships import make_coordinator
from cobioe_cms.community.models import GroupMembership, WorkingGroupIndexPage, WorkingGroupPage
from cobioe_cms.core.models import Modality, TherapeuticArea, ValueChainStage

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


def _demo_user(username: str, email: str, full_name: str):
    from cobioe_cms.members.models import MemberProfile

    user = get_user_model().objects.filter(email=email).first()
    if user is None:
        user = get_user_model().objects.create_user(username, email)  # no usable password
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
    return True
