"""Issue 9, item 15: the demo administrator (a superuser with a published password) is
only ever created on a development site."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.demo.management.commands.load_demo import DEMO_ADMIN


@pytest.mark.django_db
def test_with_admin_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    actors_before = ActorPage.objects.count()

    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("load_demo", "--actors", "3", "--with-admin", stdout=StringIO())

    assert not User.objects.filter(username=DEMO_ADMIN[0]).exists()
    assert ActorPage.objects.count() == actors_before  # nothing loaded either


@pytest.mark.django_db
def test_with_admin_works_in_development(settings):
    settings.DEBUG = True
    call_command("load_demo", "--actors", "3", "--with-admin", stdout=StringIO())

    assert User.objects.get(username=DEMO_ADMIN[0]).is_superuser


@pytest.mark.django_db
def test_without_admin_the_demo_loads_whatever_debug_says(settings):
    settings.DEBUG = False  # as .ci/run loads it
    call_command("load_demo", "--actors", "3", stdout=StringIO())

    assert ActorPage.objects.filter(is_demo=True).count() == 3
    assert not User.objects.filter(username=DEMO_ADMIN[0]).exists()


def test_make_run_uses_the_development_settings():
    from pathlib import Path

    from django.conf import settings as django_settings

    manage = (Path(django_settings.REPO_DIR) / "manage.py").read_text()
    makefile = (Path(django_settings.REPO_DIR) / "Makefile").read_text()
    ci = (Path(django_settings.REPO_DIR) / ".ci" / "run").read_text()
    assert '"DJANGO_SETTINGS_MODULE", "cobioe_site.settings.dev"' in manage
    assert "DJANGO_SETTINGS_MODULE" not in makefile  # make demo/run: manage.py's default
    assert "--with-admin" not in ci
