"""A system check: every installed app of the extension has the apps it needs.

Without them ``manage.py check`` passed and pages failed at the first request (the
cartography without ``wagtail.contrib.routable_page``, the admin's listings without
``wagtail_modeladmin``…). Each app config of the extension lists what it needs in
``requires``; this check (registered by :class:`.apps.CoreConfig`) reads them, so that
core names no higher app.
"""

from __future__ import annotations

from django.apps import apps
from django.core import checks


def check_required_apps(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    for config in apps.get_app_configs():
        for needed in getattr(config, "requires", ()):
            if not apps.is_installed(needed):
                errors.append(
                    checks.Error(
                        f"{config.name} needs {needed!r} in INSTALLED_APPS.",
                        hint="See the README's “Use it in your own Wagtail site”.",
                        obj=config.name,
                        id="cobioe_core.E001",
                    )
                )
    return errors
