from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "cobioe_cms.actors"
    label = "cobioe_actors"
    default_auto_field = "django.db.models.BigAutoField"
    # Apps this one needs installed (checked by cobioe_core.E001).
    requires = (
        "cobioe_cms.core",
        "wagtail.contrib.routable_page",  # the map data and exports
        "wagtail.contrib.redirects",  # a merged profile's old URL
        "wagtail_modeladmin",  # the admin's listings
        "django.contrib.humanize",  # the cartography's counts
    )
    verbose_name = _("Actors and cartography")

    def ready(self):
        from . import (
            exports,
            search_documents,  # noqa: F401  (registers the actors' search index)
            search_sync,
            term_text,
        )

        search_sync.connect()
        term_text.connect()
        exports.connect()
