from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_tables(sender, using="default", verbosity=1, **kwargs):
    """``migrate`` also creates the table of a database cache (settings.CACHES), so that
    a new or upgraded site has its shared cache without a separate deploy step.
    Django's ``createcachetable`` skips tables that exist and caches of other kinds."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(0, verbosity - 1))


class CoreConfig(AppConfig):
    name = "cobioe_cms.core"
    label = "cobioe_core"
    default_auto_field = "django.db.models.BigAutoField"
    # Apps this one needs installed (checked by cobioe_core.E001).
    requires = ("wagtail", "wagtail_modeladmin")
    verbose_name = _("COBIOE vocabulary")

    def ready(self):
        from django.core import checks

        from .checks import check_required_apps

        checks.register(check_required_apps)
        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="cobioe-cache-table")
