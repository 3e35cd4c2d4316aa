"""Text normalisation shared by whatever stores or matches free text."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse punctuation to single spaces.

    "Évry-Courcouronnes" and "evry courcouronnes" fold to the same string, so a query
    typed without accents finds accented names (and the other way round).
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", without_marks.casefold()).strip()


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def clean_typed(raw: str, max_length: int) -> tuple[str, bool]:
    """What a visitor typed in a search box, made safe to show and search: control
    characters removed, spaces collapsed, at most ``max_length`` characters, cut at a
    word's end when possible (a half word would have to match exactly). Returns the
    text and whether it was shortened."""
    typed = " ".join(_CONTROL.sub(" ", raw or "").split())
    if len(typed) <= max_length:
        return typed, False
    cut = typed[: max_length + 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut[:max_length].rstrip(), True
