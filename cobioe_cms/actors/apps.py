from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "cobioe_cms.actors"
    label = "cobioe_actors"
    default_auto_field = "django.db.models.BigAutoField"
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
