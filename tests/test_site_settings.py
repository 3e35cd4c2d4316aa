"""The reference site's settings read a ``.env`` file at the repository root, as
``.env.example`` and the README promise; the environment wins over the file."""

import runpy
import shutil
from pathlib import Path

import environ
from django.conf import settings

BASE_SETTINGS = Path(settings.REPO_DIR) / "site" / "cobioe_site" / "settings" / "base.py"


def build_site(tmp_path: Path) -> Path:
    """A copy of base.py at the same depth below a repository root of its own."""
    target = tmp_path / "site" / "cobioe_site" / "settings" / "base.py"
    target.parent.mkdir(parents=True)
    shutil.copy(BASE_SETTINGS, target)
    return target


def test_a_dot_env_file_at_the_repository_root_is_read(tmp_path, monkeypatch):
    # read_env writes into the environment it reads: a copy, thrown away after the test.
    monkeypatch.setattr(environ.Env, "ENVIRON", {})
    monkeypatch.setitem(environ.Env.ENVIRON, "COBIOE_EXPORTS_PER_HOUR", "12")
    base = build_site(tmp_path)
    (tmp_path / ".env").write_text(
        "COBIOE_MAP_TILE_URL=https://tiles.example.org/{z}/{x}/{y}.png\n"
        "COBIOE_EXPORTS_PER_HOUR=99\n"
        "DEBUG=True\n"
    )
    values = runpy.run_path(str(base))
    assert values["COBIOE_MAP_TILE_URL"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert values["DEBUG"] is True
    assert values["COBIOE_EXPORTS_PER_HOUR"] == 12  # the environment wins


def test_without_a_dot_env_file_the_defaults_hold(tmp_path, monkeypatch):
    monkeypatch.setattr(environ.Env, "ENVIRON", {})
    values = runpy.run_path(str(build_site(tmp_path)))
    assert values["DEBUG"] is False
    assert values["COBIOE_MAP_TILE_URL"] == ""
