"""An admin listing of all actor profiles, with filters, beside the page explorer, and
the history's words for a merge (:mod:`.duplicates.merge`; the import and the duplicate
finder's screens are ``cobioe_cms.onboarding``'s)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
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


@hooks.register("register_log_actions")
def register_merge_log_actions(actions):
    actions.register_action(
        "cobioe_actors.merge", _("Merge"), _("Another profile was merged into this one")
    )
    actions.register_action(
        "cobioe_actors.merged_into", _("Merged"), _("Merged into another profile")
    )
