"""Admin of the coverage estimates: a "Coverage estimates" menu item (a snippet)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CoverageEstimate


class CoverageEstimateViewSet(SnippetViewSet):
    """Editors record how many actors a country or Europe has, per stage or at all
    stages; the panorama compares the mapped actors with the latest year's estimate."""

    model = CoverageEstimate
    icon = "table"
    menu_label = _("Coverage estimates")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["__str__", "country", "stage", "value", "year", "source"]
    list_filter = ["country", "stage", "year"]
    list_export = ["country", "stage", "value", "year", "source", "source_url", "note"]
    search_fields = ["source", "note", "country"]
    # A few rows, not in the search index: the listing searches the database.
    search_backend_name = None
    ordering = ["country", "stage__sort_order", "-year"]


register_snippet(CoverageEstimateViewSet)
