from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """Working groups: their pages, memberships, invitations and discussions.

    On the top layer with ``watch``: it uses ``core``, ``actors`` and ``members``; no
    other app imports it (the member's dashboard shows its block through
    ``{% include_if_installed %}``).
    """

    name = "cobioe_cms.community"
    label = "cobioe_community"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Community")
    requires = (
        "cobioe_cms.members",
        "django.contrib.sites",
        "django_comments",
        "django_comments_xtd",
    )

    def ready(self):
        from . import activity, checks, digest, opportunities, personal_data  # noqa: F401

        personal_data.register()  # memberships and invitations in account export and deletion
        activity.connect()  # notifications of replies, mentions and new threads
        digest.register()  # "Activity in your groups" in the watch digest
        opportunities.connect()  # representatives hear of the editors' decisions

        # Importing search_documents registers the public threads' search index.
        from . import search_documents, search_sync  # noqa: F401

        search_sync.connect()
        from . import api  # noqa: F401  (its groups and opportunities join the open-data API)
