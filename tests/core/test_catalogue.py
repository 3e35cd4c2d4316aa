"""The French catalogue is complete: every interface string has a translation."""

import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.REPO_DIR) / "cobioe_cms/core/locale/fr/LC_MESSAGES/django.po"


def entries(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if "msgid " in block]


def is_untranslated(block: str) -> bool:
    if re.search(r'^msgid ""\n(?!")', block, re.MULTILINE) and "msgid_plural" not in block:
        return False  # the header
    strings = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n", re.MULTILINE)
    return not strings or any(not "".join(re.findall(r'"(.*)"', s)) for s in strings)


def test_no_fuzzy_or_missing_french_translation():
    blocks = [b for b in entries(PO.read_text(encoding="utf-8")) if not b.startswith("#~")]
    fuzzy = [b for b in blocks if re.search(r"^#,.*\bfuzzy\b", b, re.MULTILINE)]
    missing = [b for b in blocks if is_untranslated(b)]

    assert len(blocks) > 500  # the parser did read the catalogue
    assert fuzzy == []
    assert missing == []


def test_the_parser_sees_a_missing_translation():
    assert is_untranslated('msgid "Search"\nmsgstr ""')
    assert not is_untranslated('msgid "Search"\nmsgstr "Rechercher"')
    assert is_untranslated('msgid "a"\nmsgid_plural "b"\nmsgstr[0] "x"\nmsgstr[1] ""')
