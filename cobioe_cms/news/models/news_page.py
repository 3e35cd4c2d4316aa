"""A news item, and the queries every news listing, archive and feed is built on."""

from __future__ import annotations

import datetime

from django import forms
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cobioe_cms.core.countries import EuropeanCountries, is_known_country
from cobioe_cms.core.models.pages import BodyBlock
from cobioe_cms.search.understood_search import search_tokens

from ..topics import TOPIC_KINDS, Topic, normalise_value


class NewsPageTag(TaggedItemBase):
    """Tags of a news item (django-taggit through the page's cluster, so that drafts and
    revisions keep their tags until published)."""

    content_object = ParentalKey(
        "cobioe_news.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPageQuerySet(PageQuerySet):
    """Filters shared by the news list, the archives, the feeds and actor profiles."""

    def newest_first(self) -> NewsPageQuerySet:
        # The editor's date first; the publication time orders a day's items.
        return self.order_by("-date", "-first_published_at", "-pk")

    def with_topics(self) -> NewsPageQuerySet:
        """Tags and taxonomy terms fetched in one query each, whatever the item count."""
        return self.prefetch_related("tags", "stages", "modalities", "therapeutic_areas")

    def for_listing(self) -> NewsPageQuerySet:
        """Everything a list item shows (image and its renditions too)."""
        return self.with_topics().select_related("image").prefetch_related("image__renditions")

    def tagged(self, slug: str) -> NewsPageQuerySet:
        return self.filter(tags__slug=slug)

    def about(self, kind: str, value: str) -> NewsPageQuerySet:
        """News about a topic (see ``topics.TOPIC_KINDS``); nothing for an unknown one.

        A value-chain stage also covers its sub-stages: news about "fill & finish" is
        news about "production", as it is for actors in the cartography.
        """
        topic_kind = TOPIC_KINDS.get(kind)
        if topic_kind is None:
            return self.none()
        value = normalise_value(kind, value)
        if topic_kind.model is None:
            if not is_known_country(value):
                return self.none()
            # Codes are stored comma-separated ("DE,FR"); two letters never span a comma.
            return self.filter(countries__contains=value)
        if kind == "stage":
            match = Q(stages__slug=value) | Q(stages__parent__slug=value)
        else:
            match = Q(**{f"{topic_kind.field}__slug": value})
        # A subquery rather than a join: one row per item even when several terms match.
        return self.filter(pk__in=self.model.objects.filter(match).values("pk"))

    def mentioning(self, actor) -> NewsPageQuerySet:
        """News whose related actors include ``actor`` (an ActorPage or its id)."""
        return self.filter(related_actors=actor)


NewsPageManager = PageManager.from_queryset(NewsPageQuerySet)


class NewsPage(Page):
    """A news item published by the communication team under a :class:`NewsIndexPage`.

    Tags are free keywords; topics point to the shared taxonomies (value-chain stages,
    modalities, therapeutic areas, countries) so that news and actors meet on the same
    vocabulary; related actors are the profiles the item mentions, and each profile
    lists the news that mention it (``news_tags.news_mentioning``).
    """

    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(
        _("summary"),
        max_length=500,
        help_text=_("One or two sentences, shown in lists and feeds."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    tags = ClusterTaggableManager(verbose_name=_("tags"), through=NewsPageTag, blank=True)
    stages = ParentalManyToManyField(
        "cobioe_core.ValueChainStage", verbose_name=_("value-chain stages"), blank=True
    )
    modalities = ParentalManyToManyField(
        "cobioe_core.Modality", verbose_name=_("modalities and technologies"), blank=True
    )
    therapeutic_areas = ParentalManyToManyField(
        "cobioe_core.TherapeuticArea", verbose_name=_("therapeutic areas"), blank=True
    )
    countries = CountryField(_("countries"), countries=EuropeanCountries, multiple=True, blank=True)
    related_actors = ParentalManyToManyField(
        "cobioe_actors.ActorPage",
        verbose_name=_("related actors"),
        blank=True,
        related_name="news_items",
        help_text=_("The organisations this news mentions; their profiles link back to it."),
    )
    is_demo = models.BooleanField(
        _("demo data"),
        default=False,
        editable=False,
        help_text=_("Synthetic news generated for demonstrations."),
    )
    # The analysed text of the item (:meth:`update_search_tokens`): what the site
    # search matches on the database, identically on SQLite and PostgreSQL.
    search_title = models.TextField(editable=False, blank=True, default="")
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = NewsPageManager()

    parent_page_types = ["cobioe_news.NewsIndexPage"]
    subpage_types: list[str] = []
    template = "cobioe_news/news_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("tags"),
                FieldPanel("stages", widget=forms.CheckboxSelectMultiple),
                FieldPanel("modalities", widget=forms.CheckboxSelectMultiple),
                FieldPanel("therapeutic_areas", widget=forms.CheckboxSelectMultiple),
                FieldPanel("countries"),
            ],
            heading=_("Tags and topics"),
        ),
        FieldPanel("related_actors"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")

    def update_search_tokens(self) -> None:
        """Analyse the title and the other search fields (summary, body, tags) as the
        site search understands queries
        (:func:`cobioe_cms.search.understood_search.search_tokens`)."""
        self.search_title, self.search_text = search_tokens(self)

    def save(self, *args, **kwargs):
        # Not for Wagtail's partial saves (a draft's revision pointer, unpublishing):
        # the row keeps the text it was published with.
        if kwargs.get("update_fields") is None:
            self.update_search_tokens()
        return super().save(*args, **kwargs)

    def sorted_tags(self) -> list:
        """Tags in alphabetical order (the database returns them in no stable order);
        sorted in Python so that a prefetched listing adds no query."""
        return sorted(self.tags.all(), key=lambda tag: tag.name.casefold())

    def topics(self) -> list[Topic]:
        """Stages, modalities, therapeutic areas and countries, in that order.

        Reads the relations with ``.all()`` so that a prefetched listing adds no query.
        """
        topics = [
            Topic.of_term(kind.key, term)
            for kind in TOPIC_KINDS.values()
            if kind.model is not None
            for term in getattr(self, kind.field).all()
        ]
        topics.extend(Topic.of_country(country.code) for country in self.countries)
        return topics

    @property
    def published_at(self) -> datetime.datetime:
        """When the item was published, for feeds: its first publication when that
        happened on its date, otherwise the start of its date."""
        first = self.first_published_at
        if first and timezone.localdate(first) == self.date:
            return first
        return datetime.datetime.combine(
            self.date, datetime.time(), tzinfo=timezone.get_current_timezone()
        )

    def visible_related_actors(self):
        """Related actors a visitor may see (published and public), by name.

        Reads the ids through ``.all()`` so that a preview shows its unsaved choice.
        """
        from cobioe_cms.actors.models import ActorPage

        ids = [actor.pk for actor in self.related_actors.all()]
        return ActorPage.objects.filter(pk__in=ids).live().public().order_by("title")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        parent = self.get_parent()
        context["news_index"] = parent.specific if parent else None
        context["related_actors"] = self.visible_related_actors()
        return context
