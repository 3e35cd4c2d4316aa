"""The extension's settings (cobioe_cms.core.conf): one list with defaults, read the same
way everywhere, so that a site that sets none of them runs."""

import re
from pathlib import Path

import pytest

import cobioe_cms
from cobioe_cms.core.conf import DEFAULTS, cobioe_setting, conf
from cobioe_cms.search.conf import search_settings

PACKAGE = Path(cobioe_cms.__file__).resolve().parent


@pytest.fixture
def no_cobioe_settings(settings):
    """A site that sets none of the extension's settings."""
    for name in DEFAULTS:
        if hasattr(settings, f"COBIOE_{name}"):
            delattr(settings, f"COBIOE_{name}")
    return settings


def test_every_setting_falls_back_to_its_default(no_cobioe_settings):
    for name, setting in DEFAULTS.items():
        assert getattr(conf, name) == setting.default, name
        assert cobioe_setting(name) == setting.default, name
        assert setting.doc, f"COBIOE_{name} has no description"
    search = search_settings()
    assert (search.url, search.engine, search.index_prefix) == ("", "opensearch", "cobioe")
    assert not search.configured


def test_a_site_setting_wins_and_counts_at_once(settings):
    settings.COBIOE_EXPORTS_PER_HOUR = 7
    assert conf.EXPORTS_PER_HOUR == 7
    settings.COBIOE_EXPORTS_PER_HOUR = 8
    assert conf.EXPORTS_PER_HOUR == 8
    settings.COBIOE_SEARCH = {"URL": "http://127.0.0.1:9/"}
    assert search_settings().url == "http://127.0.0.1:9"
    assert search_settings().index_prefix == "cobioe"  # missing keys: the defaults'


def test_an_unknown_name_is_an_error():
    with pytest.raises(AttributeError, match="COBIOE_NO_SUCH"):
        conf.NO_SUCH  # noqa: B018


def test_the_apps_read_their_settings_through_conf_only():
    """No module reads a COBIOE_* setting from django.conf.settings itself, and every
    name read through conf is declared with its default."""
    ad_hoc, undeclared = [], []
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts or path.name == "conf.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"settings\.COBIOE_|getattr\(\s*settings,\s*[\"']COBIOE_", text):
            ad_hoc.append(str(path.relative_to(PACKAGE)))
        undeclared += [
            name for name in re.findall(r"\bconf\.([A-Z][A-Z_]+)\b", text) if name not in DEFAULTS
        ]
    assert ad_hoc == []
    assert undeclared == []
