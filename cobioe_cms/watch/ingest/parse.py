"""Read a feed document into plain entries, refusing unsafe XML first.

Order matters: the document is checked for entity declarations (billion laughs,
external entities) with defusedxml *before* feedparser sees it, because feedparser's
tolerant fallback parser would still read a DOCTYPE's entities. After that, feedparser
is forgiving on purpose: a feed with unclosed tags or a wrong charset still gives its
entries, and what was wrong is reported as a warning for the source's log.
"""

from __future__ import annotations

import datetime
import html
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.utils.html import strip_tags

MAX_TITLE = 500
MAX_SUMMARY = 2000
MAX_URL = 1000
MAX_GUID = 500
MAX_ENTRIES = 500
# Bounds the work of stripping HTML from a pathological entry.
MAX_RAW_TEXT = 100_000
# Everything before the first element: XML declaration, comments, DOCTYPE.
_FIRST_ELEMENT = re.compile(rb"<\w")
_SPACES = re.compile(r"\s+")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?([\w.:-]+)[\"']?", re.IGNORECASE)


class FeedError(Exception):
    """The document is not a feed that can be read safely; the message is for editors."""


@dataclass(frozen=True)
class FeedEntry:
    """One article as the feed describes it, with plain-text title and summary."""

    title: str
    link: str
    guid: str
    summary: str
    published: datetime.datetime


@dataclass(frozen=True)
class ParsedFeed:
    entries: list[FeedEntry]
    language: str = ""
    # What feedparser had to forgive (malformed XML, charset override), for the log.
    warning: str = ""


def check_xml_safety(body: bytes) -> None:
    """Refuse documents that declare entities (expansion bombs, external entities).

    defusedxml parses with expat and stops at the first entity declaration. A
    document that is malformed before its DOCTYPE never reaches that point, so the
    prolog (what precedes the first element) is also searched for ``<!ENTITY``.
    """
    try:
        SafeElementTree.fromstring(
            body, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as error:
        raise FeedError("unsafe XML (entity declarations are not accepted)") from error
    except (ParseError, ValueError, UnicodeError):
        pass  # malformed: feedparser's tolerant parser deals with it below
    head = body
    if body.startswith(_UTF16_BOMS):
        head = body.decode("utf-16", "replace").encode("utf-8")
    first = _FIRST_ELEMENT.search(head)
    prolog = head[: first.start()] if first else head
    if b"<!entity" in prolog.lower():
        raise FeedError("unsafe XML (entity declarations are not accepted)")


def trusted_content_type(content_type: str, body: bytes) -> str:
    """The Content-Type to give feedparser, without a charset that is clearly wrong.

    Servers often label UTF-8 feeds as Latin-1 or Windows-1252. Non-ASCII text that
    decodes as UTF-8 is almost never meant as a single-byte charset, so then the
    header's charset is dropped and the XML declaration (or UTF-8) decides.
    """
    match = _CHARSET.search(content_type)
    if not match or match.group(1).lower() in ("utf-8", "utf8") or body.isascii():
        return content_type
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return content_type
    return _CHARSET.sub("", content_type)


def plain_text(value: str, limit: int) -> str:
    """HTML to one line of text, at most ``limit`` characters."""
    text = html.unescape(strip_tags(value[:MAX_RAW_TEXT]))
    text = _SPACES.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _http_url(value: str, base: str) -> str:
    """An absolute http(s) URL, or "" (javascript:, mailto:, data: are dropped)."""
    if not value:
        return ""
    url = urljoin(base, value.strip())
    if urlsplit(url).scheme.lower() not in ("http", "https") or len(url) > MAX_URL:
        return ""
    return url


def _published(entry: Mapping, fetched_at: datetime.datetime) -> datetime.datetime:
    """The entry's date in UTC; the fetch time when it is missing, invalid or future."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return fetched_at
    try:
        published = datetime.datetime(*parsed[:6], tzinfo=datetime.UTC)
    except (TypeError, ValueError, OverflowError):
        return fetched_at
    # A date in the future would pin the item at the top of every feed.
    return min(published, fetched_at)


def _entry(entry: Mapping, base: str, fetched_at: datetime.datetime) -> FeedEntry | None:
    guid = str(entry.get("id") or "")[:MAX_GUID]
    link = _http_url(str(entry.get("link") or ""), base) or _http_url(guid, base)
    if not link:
        return None  # nothing to link to, nothing to deduplicate on
    raw_summary = entry.get("summary") or ""
    if not raw_summary and entry.get("content"):
        raw_summary = entry["content"][0].get("value", "")
    summary = plain_text(str(raw_summary), MAX_SUMMARY)
    title = plain_text(str(entry.get("title") or ""), MAX_TITLE)
    if not title:
        title = plain_text(summary, 120) or link[:MAX_TITLE]
    return FeedEntry(title, link, guid, summary, _published(entry, fetched_at))


def parse_feed(
    body: bytes,
    *,
    headers: Mapping[str, str] | None = None,
    url: str = "",
    fetched_at: datetime.datetime | None = None,
) -> ParsedFeed:
    """The entries of an RSS or Atom document; :class:`FeedError` if unsafe or not a feed."""
    if not body.strip():
        raise FeedError("empty document")
    check_xml_safety(body)
    fetched_at = fetched_at or datetime.datetime.now(datetime.UTC)
    response_headers = {"content-location": url}
    if headers and headers.get("Content-Type"):
        response_headers["content-type"] = trusted_content_type(headers["Content-Type"], body)
    # A BytesIO, never bytes or str: feedparser opens URLs and file paths it is given.
    result = feedparser.parse(io.BytesIO(body), response_headers=response_headers)
    warning = ""
    if result.get("bozo"):
        error = result.get("bozo_exception")
        warning = f"{type(error).__name__}: {error}"[:300] if error else "malformed feed"
    if not result.entries and not result.get("version"):
        raise FeedError(f"not an RSS or Atom feed ({warning or 'no entries found'})")
    raw_entries = result.entries
    if len(raw_entries) > MAX_ENTRIES:
        warning = f"{warning}; " if warning else ""
        warning += f"only the first {MAX_ENTRIES} of {len(raw_entries)} entries were read"
        raw_entries = raw_entries[:MAX_ENTRIES]
    entries = [e for e in (_entry(raw, url, fetched_at) for raw in raw_entries) if e]
    language = str(result.feed.get("language") or "").split("-")[0].lower()[:5]
    return ParsedFeed(entries=entries, language=language, warning=warning)
