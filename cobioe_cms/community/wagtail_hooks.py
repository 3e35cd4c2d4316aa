"""Admin of the community: proposals of groups to review, the memberships (an editor
names a group's first coordinator here, or fixes a membership), the discussions to
moderate and the contact relay's reported conversations."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from . import admin_views
from .models import GroupMembership

admin_urls = [
    path("", admin_views.proposal_list, name="proposals"),
    path("<int:pk>/decide/", admin_views.decide, name="decide"),
]


@hooks.register("register_admin_urls")
def register_proposal_urls():
    return [
        path(
            "group-proposals/",
            include((admin_urls, "community_admin"), namespace="community_admin"),
        )
    ]


class ProposalsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_proposals_menu_item():
    return ProposalsMenuItem(
        _("Group proposals"), reverse("community_admin:proposals"), icon_name="group", order=230
    )


class MembershipPermissionHelper(PermissionHelper):
    """Memberships begin on the front end (join, request, invitation): no "add" here,
    where choosing among every account would mean a select of thousands of users."""

    def user_can_create(self, user):
        return False


class GroupMembershipAdmin(ModelAdmin):
    """Editors list memberships and change a role or a status (name a coordinator, lift
    a removal); a group's first coordinator is invited from its management page."""

    model = GroupMembership
    permission_helper_class = MembershipPermissionHelper
    edit_handler = ObjectList([FieldPanel("role"), FieldPanel("status")])
    menu_label = _("Group memberships")
    menu_icon = "group"
    menu_order = 235
    list_display = ("group", "user", "role", "status", "updated_at")
    list_filter = ("role", "status")
    search_fields = ("user__email", "group__title")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "group")


modeladmin_register(GroupMembershipAdmin)


# Discussions: replies and threads to moderate (admin_discussions.py)
@hooks.register("register_admin_urls")
def register_discussion_urls():
    from . import admin_discussions as views

    urls = [
        path("", views.discussion_list, name="list"),
        path("replies/<int:pk>/<slug:action>/", views.act_on_reply, name="reply"),
        path("threads/<int:pk>/<slug:action>/", views.act_on_thread, name="thread"),
    ]
    return [
        path(
            "discussions/",
            include((urls, "community_discussions_admin"), namespace="community_discussions_admin"),
        )
    ]


class DiscussionsMenuItem(MenuItem):
    def is_shown(self, request):
        from .admin_discussions import editable_groups

        return editable_groups(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_discussions_menu_item():
    return DiscussionsMenuItem(
        _("Discussions"),
        reverse("community_discussions_admin:list"),
        icon_name="comment",
        order=232,
    )


# Contact relay: reported conversations (admin_relay.py)
@hooks.register("register_admin_urls")
def register_relay_urls():
    from . import admin_relay as views

    urls = [
        path("", views.report_list, name="list"),
        path("<int:pk>/", views.report_detail, name="report"),
        path("<int:pk>/resolve/", views.resolve, name="resolve"),
    ]
    return [
        path(
            "relay-reports/",
            include((urls, "community_relay_admin"), namespace="community_relay_admin"),
        )
    ]


class RelayReportsMenuItem(MenuItem):
    def is_shown(self, request):
        from .admin_relay import may_review

        return may_review(request.user)


@hooks.register("register_admin_menu_item")
def register_relay_reports_menu_item():
    return RelayReportsMenuItem(
        _("Reported conversations"),
        reverse("community_relay_admin:list"),
        icon_name="warning",
        order=233,
    )
