from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "cobioe_cms.search"
    label = "cobioe_search"
    default_auto_field = "django.db.models.BigAutoField"
    # Apps this one needs installed (checked by cobioe_core.E001).
    requires = ("cobioe_cms.core",)
    verbose_name = _("Search cluster")

    def ready(self):
        # Each installed app's ``site_search`` module registers its kinds of result
        # with the site search (this app imports no domain app).
        autodiscover_modules("site_search")
