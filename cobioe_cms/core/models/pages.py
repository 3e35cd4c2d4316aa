"""Generic page types of the platform: the home page and editorial content pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page
from wagtail.search import index


class BodyBlock(blocks.StreamBlock):
    """The blocks editors compose pages with."""

    heading = blocks.CharBlock(form_classname="title", label=_("Heading"))
    paragraph = blocks.RichTextBlock(label=_("Paragraph"))
    image = ImageBlock(label=_("Image"))
    quote = blocks.BlockQuoteBlock(label=_("Quote"))


class PortalHomePage(Page):
    """The portal's home page: introduces the platform and leads to the cartography.

    The reference site makes it its Site's root (``load_demo --site-root``); another site
    keeps its own home page and needs none. Named apart from the ``home.HomePage`` of a
    ``wagtail start`` project, whose reverse accessor (``page.homepage``) it would clash
    with."""

    intro = RichTextField(_("introduction"), blank=True)
    cartography_link = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("cartography page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The page the main call to action leads to."),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("cartography_link"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "cobioe_core/home_page.html"

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


class ContentPage(Page):
    """A plain editorial page (about, methodology, legal notices...)."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    template = "cobioe_core/content_page.html"

    class Meta:
        verbose_name = _("content page")
        verbose_name_plural = _("content pages")
