"""The demo commands of news, members and watch stop with a clear message, loading
nothing, on a site that does not install that app (cobioe_demo works with core and
actors alone)."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("command", "app_name"),
    [
        ("load_demo_news", "cobioe_cms.news"),
        ("load_demo_members", "cobioe_cms.members"),
        ("load_demo_watch", "cobioe_cms.watch"),
    ],
)
def test_a_demo_command_needs_its_app(command, app_name, monkeypatch):
    installed = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != app_name and installed(name))
    with pytest.raises(CommandError, match=f"{app_name} is not in INSTALLED_APPS"):
        call_command(command, stdout=io.StringIO())
