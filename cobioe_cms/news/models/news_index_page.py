"""The news section: a paginated list, tag and topic archives, and their feeds."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, Site
from wagtail.search import index

# The cartography's page-number rules, so that both listings answer bad input alike.
from cobioe_cms.core.pagination import parse_page_number

from ..feeds import FEED_FORMATS, news_feed
from ..topics import Topic, resolve_topic
from .news_page import NewsPage


class NewsIndexPage(RoutablePageMixin, Page):
    """Lists its published :class:`NewsPage` children, newest first.

    Routes (relative to the page): ``""`` all news; ``tag/<slug>/`` and
    ``topic/<kind>/<value>/`` archives (kind: stage, modality, area, country); and a
    feed of each, ``…/feed/rss/`` and ``…/feed/atom/``. An unknown tag, topic kind,
    topic value or feed format is a 404; a known tag without news is an empty list.
    """

    PER_PAGE = 10

    intro = RichTextField(gettext_lazy("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    # Any parent a site chooses (its own home page, a section...); one per parent.
    subpage_types = ["cobioe_news.NewsPage"]
    max_count_per_parent = 1
    template = "cobioe_news/news_index_page.html"

    class Meta:
        verbose_name = gettext_lazy("news index")
        verbose_name_plural = gettext_lazy("news indexes")

    def news(self):
        """The news visitors may see here: published, public, children of this page."""
        return NewsPage.objects.child_of(self).live().public()

    # -- HTML routes ----------------------------------------------------------------

    @path("")
    def news_list(self, request):
        return self._listing(
            request, self.news(), heading=self.title, feed_route="feed", is_archive=False
        )

    @path("tag/<str:tag>/")
    def tag_archive(self, request, tag):
        # <str:…> rather than <slug:…>: taggit keeps accents in slugs ("thérapie").
        tag = self._tag_or_404(tag)
        return self._listing(
            request,
            self.news().tagged(tag.slug),
            heading=self._tag_heading(tag),
            feed_route="tag_feed",
            feed_kwargs={"tag": tag.slug},
            archive_tag=tag,
        )

    @path("topic/<str:kind>/<slug:value>/")
    def topic_archive(self, request, kind, value):
        topic = self._topic_or_404(kind, value)
        return self._listing(
            request,
            self.news().about(topic.kind, topic.value),
            heading=self._topic_heading(topic),
            feed_route="topic_feed",
            feed_kwargs={"kind": topic.kind, "value": topic.value},
            archive_topic=topic,
        )

    # -- feeds ------------------------------------------------------------------------

    @path("feed/<str:fmt>/")
    def feed(self, request, fmt):
        return self._feed(request, fmt, self.news(), self.title, self.url_for(request))

    @path("tag/<str:tag>/feed/<str:fmt>/")
    def tag_feed(self, request, tag, fmt):
        self._check_format(fmt)
        tag = self._tag_or_404(tag)
        link = self.url_for(request, "tag_archive", tag=tag.slug)
        return self._feed(request, fmt, self.news().tagged(tag.slug), self._tag_heading(tag), link)

    @path("topic/<str:kind>/<slug:value>/feed/<str:fmt>/")
    def topic_feed(self, request, kind, value, fmt):
        self._check_format(fmt)
        topic = self._topic_or_404(kind, value)
        link = self.url_for(request, "topic_archive", kind=topic.kind, value=topic.value)
        news = self.news().about(topic.kind, topic.value)
        return self._feed(request, fmt, news, self._topic_heading(topic), link)

    # -- helpers ----------------------------------------------------------------------

    def url_for(self, request, route: str = "news_list", **kwargs) -> str:
        """The URL of one of this page's routes (site-relative when possible)."""
        return self.get_url(request) + self.reverse_subpage(route, kwargs=kwargs)

    def _listing(
        self, request, news, *, heading, feed_route, feed_kwargs=None, is_archive=True, **extra
    ):
        """Render one page of ``news`` (the list or an archive) with its feed links."""
        paginator = Paginator(news.newest_first().for_listing(), self.PER_PAGE)
        number, message = parse_page_number(request.GET.get("page", ""), paginator.num_pages)
        page = paginator.page(number)
        feeds = [
            {
                "format": fmt,
                "title": f"{heading} ({fmt_label})",
                "mime_type": FEED_FORMATS[fmt].content_type.split(";")[0],
                "url": self.url_for(request, feed_route, fmt=fmt, **(feed_kwargs or {})),
            }
            for fmt, fmt_label in (("rss", "RSS"), ("atom", "Atom"))
        ]
        return self.render(
            request,
            context_overrides={
                "heading": heading,
                "is_archive": is_archive,
                "page_obj": page,
                "paginator": paginator,
                "page_range": paginator.get_elided_page_range(number, on_each_side=2),
                "input_messages": [message] if message else [],
                "querystring": "",
                "feeds": feeds,
                **extra,
            },
        )

    def _feed(self, request, fmt, news, title, link):
        self._check_format(fmt)
        site = Site.find_for_request(request)  # cached on the request by Wagtail
        site_name = (site.site_name if site else "") or request.get_host()
        return news_feed(
            request,
            fmt,
            news.newest_first(),
            title=f"{title} · {site_name}",
            link=link,
            description=_("The latest news of %(site)s.") % {"site": site_name},
            author_name=site_name,
        )

    @staticmethod
    def _check_format(fmt: str) -> None:
        if fmt not in FEED_FORMATS:
            raise Http404("Unknown feed format")

    @staticmethod
    def _tag_or_404(slug: str) -> Tag:
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            raise Http404("Unknown tag")
        return tag

    @staticmethod
    def _topic_or_404(kind: str, value: str) -> Topic:
        topic = resolve_topic(kind, value)
        if topic is None:
            raise Http404("Unknown topic")
        return topic

    @staticmethod
    def _tag_heading(tag: Tag) -> str:
        return _("News tagged “%(tag)s”") % {"tag": tag.name}

    @staticmethod
    def _topic_heading(topic: Topic) -> str:
        return _("News about “%(topic)s”") % {"topic": topic.label}
