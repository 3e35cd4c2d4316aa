"""The production settings (issue 9, item 15): they refuse to start without
WAGTAILADMIN_BASE_URL, HSTS preloading is an opt-in, and ``check --deploy`` stays clean
either way. Each case runs ``manage.py`` in its own process, as a deployment does."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SETTINGS_OF_TESTS = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "WAGTAILADMIN_BASE_URL"}


def manage(tmp_path: Path, *args: str, **variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_OF_TESTS}
    env.update(
        DJANGO_SETTINGS_MODULE="cobioe_site.settings.production",
        SECRET_KEY="production-settings-test-" + "x" * 50,
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        ALLOWED_HOSTS="cobioe.example.org",
        **variables,
    )
    return subprocess.run(  # noqa: S603 -- our own manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_the_admin_base_url(tmp_path):
    result = manage(tmp_path, "check")
    assert result.returncode != 0
    assert "WAGTAILADMIN_BASE_URL must be set in the environment." in result.stderr


@pytest.mark.parametrize("preload", ["", "True"])
def test_the_deploy_check_is_clean_with_or_without_hsts_preload(tmp_path, preload):
    variables = {"WAGTAILADMIN_BASE_URL": "https://cobioe.example.org"}
    if preload:
        variables["SECURE_HSTS_PRELOAD"] = preload
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **variables)
    assert result.returncode == 0, result.stderr[-3000:]
    # Without preloading, W021 (the site cannot be preloaded) is the one check silenced.
    assert f"({0 if preload else 1} silenced)" in result.stdout

    script = "from django.conf import settings as s; print(s.SECURE_HSTS_PRELOAD)"
    shell = manage(tmp_path, "shell", "-c", script, **variables)
    assert shell.stdout.split()[-1] == ("True" if preload else "False"), shell.stderr[-3000:]
