"""The French catalogues are complete: every interface string has a translation.

Each app ships its own catalogue (``cobioe_cms/<app>/locale/fr/LC_MESSAGES/django.po``)
with the strings of its own files.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

# Apps with no interface string ship no catalogue: cobioe_demo's commands write to the
# operator's console, in English (test_an_app_without_a_catalogue_has_no_string).
WITHOUT_STRINGS = {"cobioe_demo"}
APPS = [
    app
    for app in apps.get_app_configs()
    if app.name.startswith("cobioe_cms.") and app.label not in WITHOUT_STRINGS
]


def catalogue(app) -> Path:
    """The French catalogue of an app (or of a directory laid out like one)."""
    return Path(getattr(app, "path", app)) / "locale/fr/LC_MESSAGES/django.po"


def entries(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if "msgid " in block]


def is_untranslated(block: str) -> bool:
    if re.search(r'^msgid ""\n(?!")', block, re.MULTILINE) and "msgid_plural" not in block:
        return False  # the header
    strings = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n", re.MULTILINE)
    return not strings or any(not "".join(re.findall(r'"(.*)"', s)) for s in strings)


def blocks_of(app) -> list[str]:
    text = catalogue(app).read_text(encoding="utf-8")
    return [b for b in entries(text) if not b.startswith("#~")]


def translations(block: str) -> tuple[str, str]:
    """(msgid with its context and plural, every msgstr) of one entry, for comparing."""
    lines = [line for line in block.splitlines() if not line.startswith("#")]
    text = "\n".join(lines)
    start = text.index("msgstr")
    return text[:start], text[start:]


def test_every_app_ships_a_catalogue():
    assert {app.label for app in APPS} >= {
        "cobioe_core",
        "cobioe_actors",
        "cobioe_members",
        "cobioe_news",
        "cobioe_watch",
        "cobioe_search",
    }
    assert [app.label for app in APPS if not catalogue(app).is_file()] == []
    assert [app.label for app in APPS if not catalogue(app).with_suffix(".mo").is_file()] == []


@pytest.mark.parametrize("app", APPS, ids=lambda app: app.label)
def test_no_fuzzy_or_missing_french_translation(app):
    blocks = blocks_of(app)
    fuzzy = [b for b in blocks if re.search(r"^#,.*\bfuzzy\b", b, re.MULTILINE)]
    missing = [b for b in blocks if is_untranslated(b)]

    assert len(blocks) > 10  # the parser did read the catalogue
    assert fuzzy == []
    assert missing == []


@pytest.fixture
def gettext():
    """GNU gettext, which makemessages and compilemessages run; CI must have it."""
    if shutil.which("msgmerge") is None or shutil.which("msgfmt") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext is not installed")
        pytest.skip("GNU gettext is not installed")


@pytest.mark.parametrize("app", APPS, ids=lambda app: app.label)
def test_the_catalogue_holds_every_string_of_its_app(app, gettext, tmp_path, monkeypatch):
    """makemessages, run on a copy of the app, finds no string missing from its catalogue."""
    copy = tmp_path / app.label
    shutil.copytree(
        app.path, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "fixtures")
    )
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["fr"], no_obsolete=True, verbosity=0)
    blocks = blocks_of(copy)
    fuzzy = [b for b in blocks if re.search(r"^#,.*\bfuzzy\b", b, re.MULTILINE)]
    missing = [b for b in blocks if is_untranslated(b)]
    assert fuzzy == []
    assert missing == []


@pytest.mark.parametrize("label", sorted(WITHOUT_STRINGS))
def test_an_app_without_a_catalogue_has_no_string(label, gettext, tmp_path, monkeypatch):
    """makemessages, run on a copy of the app, finds nothing to translate."""
    app = apps.get_app_config(label)
    assert not catalogue(app).exists()
    copy = tmp_path / label
    shutil.copytree(app.path, copy, ignore=shutil.ignore_patterns("__pycache__", "fixtures"))
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["fr"], no_obsolete=True, verbosity=0)
    assert not catalogue(copy).exists()


@pytest.mark.parametrize("app", APPS, ids=lambda app: app.label)
def test_the_compiled_catalogue_is_up_to_date(app, gettext, tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603 (fixed arguments)
        ["msgfmt", "--check-format", "-o", str(compiled), str(catalogue(app))],  # noqa: S607
        check=True,
    )
    assert compiled.read_bytes() == catalogue(app).with_suffix(".mo").read_bytes()


def test_all_catalogues_together_hold_the_whole_interface():
    assert sum(len(blocks_of(app)) for app in APPS) > 500


def test_a_string_has_the_same_translation_in_every_app():
    seen: dict[str, dict[str, str]] = {}
    for app in APPS:
        for block in blocks_of(app)[1:]:  # the header differs
            msgid, msgstr = translations(block)
            seen.setdefault(msgid, {})[msgstr] = app.label
    assert {msgid: found for msgid, found in seen.items() if len(found) > 1} == {}


def test_the_parser_sees_a_missing_translation():
    assert is_untranslated('msgid "Search"\nmsgstr ""')
    assert not is_untranslated('msgid "Search"\nmsgstr "Rechercher"')
    assert is_untranslated('msgid "a"\nmsgid_plural "b"\nmsgstr[0] "x"\nmsgstr[1] ""')
