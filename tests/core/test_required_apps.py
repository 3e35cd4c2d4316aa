"""cobioe_core.E001: an app of the extension without the apps it needs fails `check`."""

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from cobioe_cms.core import checks


def test_the_reference_site_has_every_app_it_needs():
    assert checks.check_required_apps() == []


def test_a_missing_app_is_named_with_the_app_that_needs_it(monkeypatch):
    missing = {"wagtail.contrib.routable_page", "allauth.account"}
    installed = apps.is_installed
    monkeypatch.setattr(
        checks.apps, "is_installed", lambda name: name not in missing and installed(name)
    )

    errors = checks.check_required_apps()

    found = {(error.obj, error.id) for error in errors}
    assert ("cobioe_cms.actors", "cobioe_core.E001") in found
    assert ("cobioe_cms.news", "cobioe_core.E001") in found
    assert ("cobioe_cms.members", "cobioe_core.E001") in found
    assert all(any(name in error.msg for name in missing) for error in errors)
    assert len(errors) == 3


def test_manage_check_fails_on_it(monkeypatch):
    installed = apps.is_installed
    monkeypatch.setattr(
        checks.apps, "is_installed", lambda name: name != "wagtail_modeladmin" and installed(name)
    )
    try:
        call_command("check")
    except SystemCheckError as error:
        assert "cobioe_cms.actors needs 'wagtail_modeladmin'" in str(error)
    else:
        raise AssertionError("check passed without wagtail_modeladmin")
