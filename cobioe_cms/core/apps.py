from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cobioe_cms.core"
    label = "cobioe_core"
    verbose_name = _("COBIOE vocabulary")
