"""Admin of the economic watch's sources and ingested items: the "Watch" menu.

Editors manage sources (feed URL, language, default topics, active flag) and see
each source's health; ingested items are listed read-only (ingestion writes them,
editors only look).
"""

from django import forms
from django.template.defaultfilters import truncatechars
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import EditView, InspectView

from .models import Source, WatchItem


def _when(value) -> str:
    return date_format(localtime(value), "SHORT_DATETIME_FORMAT") if value else "—"


def health_html(source: Source) -> str:
    """The source's health as a definition list (read-only, in the edit form)."""
    if not source.pk or not source.last_fetched_at:
        return format_html("<p>{}</p>", _("Not fetched yet."))
    rows = [
        (_("Last fetched"), _when(source.last_fetched_at)),
        (_("Last success"), _when(source.last_success_at)),
        (_("Last error"), f"{source.last_error} ({_when(source.last_error_at)})"),
        (_("Consecutive failures"), source.consecutive_failures),
        (_("Items fetched"), source.items_fetched),
    ]
    if not source.last_error:
        rows[2] = (_("Last error"), "—")
    return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))


class SourceHealthPanel(HelpPanel):
    """Shows the health fields, which ingestion writes and editors cannot edit."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.content = health_html(self.instance)


class SourceEditView(EditView):
    def form_valid(self, form):
        # A new address is a new feed: the old ETag / Last-Modified do not apply.
        if "url" in form.changed_data:
            form.instance.etag = form.instance.last_modified = ""
        return super().form_valid(form)


class SourceAdmin(ModelAdmin):
    model = Source
    menu_label = _("Sources")
    menu_icon = "link"
    edit_view_class = SourceEditView
    list_display = (
        "name",
        "active",
        "language",
        "last_success",
        "last_error_summary",
        "items_fetched",
        "consecutive_failures",
    )
    list_filter = ("active", "language")
    search_fields = ("name", "url")
    panels = [
        FieldPanel("name"),
        FieldPanel("url"),
        FieldPanel("language"),
        FieldPanel("active"),
        MultiFieldPanel(
            [
                FieldPanel("stages", widget=forms.CheckboxSelectMultiple),
                FieldPanel("modalities", widget=forms.CheckboxSelectMultiple),
                FieldPanel("therapeutic_areas", widget=forms.CheckboxSelectMultiple),
                FieldPanel("countries"),
            ],
            heading=_("Default topics (given to every item of this source)"),
        ),
        SourceHealthPanel(heading=_("Health")),
    ]

    def last_success(self, source: Source) -> str:
        return _when(source.last_success_at)

    last_success.short_description = _("last success")

    def last_error_summary(self, source: Source) -> str:
        if not source.last_error:
            return "—"
        return f"{truncatechars(source.last_error, 80)} ({_when(source.last_error_at)})"

    last_error_summary.short_description = _("last error")


class ReadOnlyPermissionHelper(PermissionHelper):
    """Items are written by ingestion only: nobody adds or edits them in the admin."""

    def user_can_create(self, user) -> bool:
        return False

    def user_can_edit_obj(self, user, obj) -> bool:
        return False


class WatchItemInspectView(InspectView):
    def get_field_display_value(self, field_name, field=None):
        # A multiple CountryField has no flat choices for get_FOO_display().
        if field_name == "countries":
            return ", ".join(country.name for country in self.instance.countries) or "—"
        return super().get_field_display_value(field_name, field)


class WatchItemAdmin(ModelAdmin):
    model = WatchItem
    menu_label = _("Ingested items")
    menu_icon = "doc-full"
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_enabled = True
    inspect_view_class = WatchItemInspectView
    inspect_view_fields = (
        "title",
        "url",
        "source",
        "published_at",
        "fetched_at",
        "language",
        "summary",
        "duplicate_of",
        "stages",
        "modalities",
        "therapeutic_areas",
        "countries",
        "actors",
    )
    list_display = ("title", "source", "published_at", "duplicate_of")
    list_filter = ("source",)
    search_fields = ("title",)
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "duplicate_of")


class WatchAdminGroup(ModelAdminGroup):
    menu_label = _("Watch")
    menu_icon = "globe"
    menu_order = 400
    items = (SourceAdmin, WatchItemAdmin)


modeladmin_register(WatchAdminGroup)
