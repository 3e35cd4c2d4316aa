"""An admin listing of all actor profiles, with filters, beside the page explorer."""

from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from .models import ActorPage


class ActorPageAdmin(ModelAdmin):
    model = ActorPage
    menu_label = _("Actor profiles")
    menu_icon = "group"
    menu_order = 200
    list_display = (
        "title",
        "organisation_type",
        "country",
        "city",
        "verified",
        "last_reviewed",
        "live",
    )
    list_filter = ("country", "organisation_type", "verified", "live", "is_demo")
    search_fields = ("title", "acronym", "city")
    ordering = ("title",)
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation_type")


modeladmin_register(ActorPageAdmin)
from . import admin_import  # noqa: E402, F401 - hooks of the import and the duplicate finder
