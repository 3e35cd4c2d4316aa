"""The demo of an optional app is loaded only where the site installs that app."""

from django.apps import apps
from django.core.management.base import CommandError


def require_app(app_name: str) -> None:
    """Stops a demo command, with a message for the operator, when ``app_name`` (such as
    ``cobioe_cms.news``) is not in INSTALLED_APPS. The command imports the app's modules
    only after this check."""
    if not apps.is_installed(app_name):
        raise CommandError(f"{app_name} is not in INSTALLED_APPS: nothing was loaded.")
