"""Admin of members' records: claims to review, representatives, flags."""

from django.apps import apps
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from . import admin_views
from .models import OrganisationFlag, PendingLogo, Representative

admin_urls = [
    path("", admin_views.claims, name="claims"),
    path("<int:pk>/decide/", admin_views.decide, name="decide"),
    path("unrepresented/", admin_views.unrepresented, name="unrepresented"),
]


@hooks.register("register_admin_urls")
def register_claim_urls():
    return [path("claims/", include((admin_urls, "members_admin"), namespace="members_admin"))]


class ClaimsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_claims_menu_item():
    return ClaimsMenuItem(
        _("Claims to review"), reverse("members_admin:claims"), icon_name="user", order=210
    )


class InviteMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("cobioe_members.add_invitation")


@hooks.register("register_admin_menu_item")
def register_unrepresented_menu_item():
    return InviteMenuItem(
        _("Invite organisations"),
        reverse("members_admin:unrepresented"),
        icon_name="mail",
        order=215,
    )


# Password, e-mail addresses and two-factor authentication are managed in allauth's
# pages (notifications, verification): the admin's account page links to them.
@hooks.register("register_account_menu_item")
def register_two_factor_menu_item(request):
    if not apps.is_installed("allauth.mfa"):
        return None
    return {
        "url": reverse("mfa_index"),
        "label": _("Two-factor authentication"),
        "help_text": _("Protect your account with an authenticator app and recovery codes."),
    }


@hooks.register("register_account_menu_item")
def register_password_menu_item(request):
    return {
        "url": reverse("account_change_password"),
        "label": _("Change password"),
        "help_text": _("You will be told by e-mail."),
    }


@hooks.register("register_account_menu_item")
def register_email_menu_item(request):
    return {
        "url": reverse("account_email"),
        "label": _("E-mail addresses"),
        "help_text": _("A new address is used once you have verified it."),
    }


class RepresentativeAdmin(ModelAdmin):
    model = Representative
    menu_label = _("Representatives")
    menu_icon = "group"
    list_display = ("user", "actor", "created_at")
    search_fields = ("user__email", "actor__title")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "actor")


class OrganisationFlagAdmin(ModelAdmin):
    model = OrganisationFlag
    menu_label = _("Flagged organisations")
    menu_icon = "warning"
    list_display = ("actor", "reason", "created_at", "resolved")
    list_filter = ("resolved",)


class MembersAdminGroup(ModelAdminGroup):
    menu_label = _("Members")
    menu_icon = "user"
    menu_order = 220
    items = (RepresentativeAdmin, OrganisationFlagAdmin)


modeladmin_register(MembersAdminGroup)


class PendingLogosPanel(Component):
    """Logos members uploaded with profiles awaiting review, on the editors' dashboard:
    they are not in the image library (nor public) until the profile is approved."""

    name = "pending_logos"
    template_name = "cobioe_members/admin/pending_logos_panel.html"
    order = 225  # just after Wagtail's "Awaiting your review"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        logos = PendingLogo.objects.select_related("actor").order_by("-created_at")[:20]
        context["pending_logos"] = [
            logo for logo in logos if logo.actor.permissions_for_user(user).can_edit()
        ]
        return context


@hooks.register("construct_homepage_panels")
def add_pending_logos_panel(request, panels):
    panels.append(PendingLogosPanel())
