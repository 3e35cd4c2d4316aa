from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    """The bulk import of organisations (CSV/XLSX) and the admin's duplicate finder and
    merge screens. Above ``actors`` (whose profiles it creates and merges) and ``core``;
    no app imports it."""

    name = "cobioe_cms.onboarding"
    label = "cobioe_onboarding"
    default_auto_field = "django.db.models.BigAutoField"
    # Apps this one needs installed (checked by cobioe_core.E001).
    requires = ("cobioe_cms.actors",)
    verbose_name = _("Onboarding")

    def ready(self):
        from django.apps import apps

        if apps.is_installed("cobioe_cms.members"):
            from .personal_data import register

            register()  # who imported what, in the account export (members' registry)
