from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    name = "cobioe_cms.watch"
    label = "cobioe_watch"
    verbose_name = _("Economic watch")
