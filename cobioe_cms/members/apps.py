from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "cobioe_cms.members"
    label = "cobioe_members"
    default_auto_field = "django.db.models.BigAutoField"
    # Apps this one needs installed (checked by cobioe_core.E001).
    requires = ("cobioe_cms.actors", "allauth", "allauth.account")
    verbose_name = _("Members and organisations")

    def ready(self):
        from . import (  # noqa: F401
            review,  # its system check: approvals publish what was reviewed
            signals,  # workflow and account notifications
        )
        from .gdpr import register_members_data

        register_members_data()  # members' personal data first: exported first, erased last
