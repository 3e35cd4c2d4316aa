"""Admin entry points of the organisation import and the duplicate finder.

Editors are the users with the ``cobioe_onboarding.add_actorimport`` permission
(Wagtail's "Editors" and "Moderators" groups: actors' migration 0005, whose permissions
onboarding's migration 0001 carries over); other admin users see neither menu item and
are turned away from the views. The URL namespace ``cobioe_actor_import`` and the paths
under ``/admin/organisations/`` are those the import had in ``actors``.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import finder_views, views

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.upload, name="upload"),
    path("<int:pk>/mapping/", views.mapping, name="mapping"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/report/csv/", views.report_csv, name="report_csv"),
    path("duplicates/", finder_views.duplicates, name="duplicates"),
    path("duplicates/merge/<int:first>/<int:second>/", finder_views.merge, name="merge"),
]


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path(
            "organisations/",
            include((urlpatterns, "cobioe_actor_import"), namespace="cobioe_actor_import"),
        )
    ]


class EditorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return EditorMenuItem(
        _("Import organisations"),
        reverse("cobioe_actor_import:index"),
        icon_name="upload",
        order=201,
    )


@hooks.register("register_admin_menu_item")
def register_duplicates_menu_item():
    return EditorMenuItem(
        _("Possible duplicates"),
        reverse("cobioe_actor_import:duplicates"),
        icon_name="resubmit",
        order=202,
    )
