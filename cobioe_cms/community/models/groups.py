"""Working groups as Wagtail pages: the public list of groups and each group's page."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cobioe_cms.core.countries import EuropeanCountries, country_name
from cobioe_cms.core.pagination import parse_page_number
from cobioe_cms.core.vocabulary import TOPIC_FACETS

from .memberships import GroupMembership


class WorkingGroupQuerySet(PageQuerySet):
    def with_member_count(self) -> WorkingGroupQuerySet:
        return self.annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__status=GroupMembership.Status.ACTIVE)
            )
        )

    def with_topics(self) -> WorkingGroupQuerySet:
        return self.prefetch_related(*(facet.relation for facet in TOPIC_FACETS))

    def of_member(self, user) -> WorkingGroupQuerySet:
        """Groups where ``user`` is an active member (coordinators included)."""
        return self.filter(
            pk__in=GroupMembership.objects.active().filter(user=user).values("group_id")
        )


WorkingGroupManager = PageManager.from_queryset(WorkingGroupQuerySet)


class WorkingGroupIndexPage(Page):
    """The public list of the :class:`WorkingGroupPage` children: filters by topic (the
    shared taxonomies of :mod:`cobioe_cms.core.vocabulary`) and by country, with counts,
    and "my groups" for a signed-in member (:mod:`cobioe_cms.community.filters`)."""

    PER_PAGE = 12

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types = ["cobioe_community.WorkingGroupPage"]
    max_count_per_parent = 1
    template = "cobioe_community/working_group_index_page.html"

    class Meta:
        verbose_name = _("working groups index")
        verbose_name_plural = _("working groups indexes")

    def groups(self) -> WorkingGroupQuerySet:
        return WorkingGroupPage.objects.child_of(self).live().public()

    def get_context(self, request, *args, **kwargs):
        from ..filters import GroupFilters

        context = super().get_context(request, *args, **kwargs)
        filters = GroupFilters.from_query(request.GET, request.user)
        groups = filters.apply(self.groups())
        paginator = Paginator(
            groups.with_member_count().with_topics().order_by("title", "pk"), self.PER_PAGE
        )
        number, message = parse_page_number(request.GET.get("page", ""), paginator.num_pages)
        page_obj = paginator.page(number)
        context.update(
            filters=filters,
            facets=filters.facet_counts(self.groups()),
            page_obj=page_obj,
            paginator=paginator,
            page_range=paginator.get_elided_page_range(number, on_each_side=2),
            input_messages=[*filters.messages, *([message] if message else [])],
            querystring=filters.querystring(),
        )
        return context


class WorkingGroupPage(Page):
    """A working group: its mission, its topics on the shared taxonomies and countries,
    how people join (``membership_policy``) and who may read its discussions
    (``discussion_visibility``). Members are :class:`~.memberships.GroupMembership` rows;
    coordinators are members with that role and manage the group from the front end
    (:mod:`cobioe_cms.community.views`)."""

    class Policy(models.TextChoices):
        OPEN = "open", _("open: anyone signed in joins")
        APPROVAL = "approval", _("on approval: coordinators accept requests")
        INVITATION = "invitation", _("invitation only")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public")
        MEMBERS = "members", _("members of the group only")

    summary = models.TextField(
        _("summary"), max_length=300, blank=True, help_text=_("One sentence, shown in lists.")
    )
    mission = RichTextField(_("mission"), blank=True)
    stages = ParentalManyToManyField(
        "cobioe_core.ValueChainStage",
        verbose_name=_("value-chain stages"),
        blank=True,
        related_name="working_groups",
    )
    modalities = ParentalManyToManyField(
        "cobioe_core.Modality",
        verbose_name=_("modalities and technologies"),
        blank=True,
        related_name="working_groups",
    )
    therapeutic_areas = ParentalManyToManyField(
        "cobioe_core.TherapeuticArea",
        verbose_name=_("therapeutic areas"),
        blank=True,
        related_name="working_groups",
    )
    countries = CountryField(_("countries"), countries=EuropeanCountries, multiple=True, blank=True)
    membership_policy = models.CharField(
        _("membership"), max_length=12, choices=Policy.choices, default=Policy.APPROVAL
    )
    discussion_visibility = models.CharField(
        _("discussions visible to"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = WorkingGroupManager()

    parent_page_types = ["cobioe_community.WorkingGroupIndexPage"]
    subpage_types: list[str] = []
    template = "cobioe_community/working_group_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("mission"),
        MultiFieldPanel(
            [
                FieldPanel("stages", widget=forms.CheckboxSelectMultiple),
                FieldPanel("modalities", widget=forms.CheckboxSelectMultiple),
                FieldPanel("therapeutic_areas", widget=forms.CheckboxSelectMultiple),
                FieldPanel("countries"),
            ],
            heading=_("Topics"),
        ),
        MultiFieldPanel(
            [FieldPanel("membership_policy"), FieldPanel("discussion_visibility")],
            heading=_("Membership and visibility"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("mission"),
    ]

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def topics(self) -> list[tuple[str, str]]:
        """(kind label, term label) of the group's terms and countries; reads ``.all()``
        so that a prefetched listing adds no query."""
        topics = [
            (facet.label, term.label)
            for facet in TOPIC_FACETS
            for term in getattr(self, facet.relation).all()
        ]
        topics.extend((_("Country"), country_name(c.code)) for c in self.countries)
        return topics

    def active_members(self):
        return self.memberships.active().with_people().order_by("-role", "created_at")

    THREADS_PER_PAGE = 20

    def get_context(self, request, *args, **kwargs):
        from .. import discussions
        from .. import memberships as rules

        context = super().get_context(request, *args, **kwargs)
        viewer = rules.membership_of(request.user, self)
        is_member = viewer is not None and viewer.is_active
        can_manage = rules.can_manage(request.user, self, viewer)
        can_read = discussions.can_read(request.user, self, viewer)
        context.update(
            viewer_membership=viewer,
            is_member=is_member,
            can_manage=can_manage,
            can_read_discussions=can_read,
            posting_refusal=discussions.posting_refusal(request.user, self, viewer),
            member_count=self.memberships.active().count(),
            members=list(self.active_members()) if is_member else [],
            index=self.get_parent(),
        )
        if can_read:
            threads = self.threads.all() if can_manage else self.threads.visible()
            paginator = Paginator(threads.listing_order(), self.THREADS_PER_PAGE)
            number, message = parse_page_number(request.GET.get("page", ""), paginator.num_pages)
            page_obj = paginator.page(number)
            context.update(
                page_obj=page_obj,
                paginator=paginator,
                page_range=paginator.get_elided_page_range(number, on_each_side=2),
                input_messages=[message] if message else [],
                recent_replies=discussions.recent_replies(self),
            )
        return context
