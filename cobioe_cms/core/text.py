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


def query_terms(text: str, max_terms: int = 8, max_length: int = 200) -> list[str]:
    """The distinct folded words of a user's query, bounded in number and length."""
    terms: list[str] = []
    for word in fold(text[:max_length]).split():
        if word not in terms:
            terms.append(word)
    return terms[:max_terms]
