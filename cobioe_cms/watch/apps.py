from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    name = "cobioe_cms.watch"
    label = "cobioe_watch"
    default_auto_field = "django.db.models.BigAutoField"
    # Apps this one needs installed (checked by cobioe_core.E001).
    requires = ("cobioe_cms.members", "cobioe_cms.news")
    verbose_name = _("Economic watch")

    def ready(self):
        # Importing search_documents registers the watch's search indexes.
        from . import search_documents, search_sync  # noqa: F401

        search_sync.connect()

        from . import personal_data

        personal_data.register()  # the watch's part in account export and deletion
