"""CSV cells that spreadsheet software opens as data, never as a formula.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice or Google Sheets (OWASP, "CSV Injection"); a formula
can call functions (HYPERLINK, WEBSERVICE, DDE) with the reader's rights. Such a cell
gets a leading apostrophe, which the spreadsheet shows as text.

Cells made only of a sign, digits and number punctuation are left as written: a
negative longitude (``-1.67431``) or a phone number (``+33 1 23 45 67 89``) can at
worst be computed as arithmetic, never call a function, and an apostrophe would
corrupt the value for every program that reads the file as data.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A sign, then digits, spaces and the punctuation of numbers and phone numbers only.
INERT = re.compile(r"[+-]?[0-9][0-9 .,()/-]*")


def safe_cell(value: object) -> str:
    """``value`` as CSV cell text: None is empty, lists are joined with "|", and text
    that a spreadsheet would run as a formula is escaped (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "|".join(str(item) for item in value)
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not INERT.fullmatch(text):
        return "'" + text
    return text
