"""Settings > Search in the Wagtail admin: the search cluster's state and index
rebuilds, for superusers only (see ``admin_views``)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views

admin_urls = [
    path("", admin_views.status, name="status"),
    path("rebuild/", admin_views.rebuild, name="rebuild"),
]


@hooks.register("register_admin_urls")
def register_search_admin_urls():
    return [
        path(
            "search/", include((admin_urls, "cobioe_search_admin"), namespace="cobioe_search_admin")
        )
    ]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_search_menu_item():
    return SuperuserMenuItem(
        _("Search"),
        reverse("cobioe_search_admin:status"),
        name="search-cluster",
        icon_name="search",
        order=900,
    )
