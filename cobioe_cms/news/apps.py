from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "cobioe_cms.news"
    label = "cobioe_news"
    default_auto_field = "django.db.models.BigAutoField"
    # Apps this one needs installed (checked by cobioe_core.E001).
    requires = ("cobioe_cms.actors", "wagtail.contrib.routable_page")
    verbose_name = _("News")

    def ready(self):
        # Importing search_documents registers the news search index.
        from . import search_documents, search_sync  # noqa: F401

        search_sync.connect()
