"""Keys that recognise the same article under different spellings.

Two feeds, or one feed twice, often link to the same article with tracking
parameters, another letter case in the host, a fragment or a trailing slash: the
canonical URL is what ``WatchItem.url`` stores and what deduplication compares. The
title key catches the same news published by two sources under two URLs.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from cobioe_cms.core.text import fold

TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid"})
TRACKING_PREFIXES = ("utm_", "mc_")
DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_TITLE_KEY = 300

# Words that do not tell two titles apart (English and French).
STOP_WORDS = frozenset((
    "a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by",
    "from", "as", "is", "are", "be", "its", "it", "this", "that", "new",
    "le", "la", "les", "l", "un", "une", "des", "de", "du", "d", "et", "ou", "en", "au",
    "aux", "pour", "par", "sur", "avec", "dans", "son", "sa", "ses", "ce", "cette", "qui",
    "que", "est", "sont",
))  # fmt: skip


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, fragment or tracking parameters,
    remaining parameters sorted, no trailing slash (except the root)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: keep the URL as written
        port = None
    netloc = host
    if parts.username:
        netloc = f"{parts.username}@{host}"
    if port and port != DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    params = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(name)
    ]
    query = urlencode(sorted(params))
    return urlunsplit((scheme, netloc, path, query, ""))


def title_key(title: str) -> str:
    """Folded title without punctuation and very common words: near-identical titles
    ("Sanofi opens a plant in Lyon" / "Sanofi opens plant in Lyon!") share it."""
    words = [word for word in fold(title).split() if word not in STOP_WORDS]
    return " ".join(words)[:MAX_TITLE_KEY]
