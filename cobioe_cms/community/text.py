"""What members write in the discussions: Markdown-like plain text, rendered on output.

Stored as typed; rendered for each reading by :func:`render`:

1. mentions of an organisation, ``@slug`` (its profile's slug), become Markdown links to
   its profile when a live profile has that slug (``mentions`` maps slugs to links);
   bare ``http(s)://`` addresses become links;
2. Python-Markdown renders the text with raw HTML turned off (``<script>`` stays text);
3. nh3 (the Ammonia sanitiser) keeps only a short list of tags and attributes, only
   ``http``, ``https`` and ``mailto`` links, and gives every link
   ``rel="nofollow ugc noopener noreferrer"``.

So no script, no event handler, no ``javascript:`` link can come out, whatever goes in,
and nothing is sanitised at write time (a better renderer later changes old posts too).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from typing import NamedTuple
from urllib.parse import urlsplit

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener noreferrer"

# @slug: not inside a word or an address (name@example.org), slugs as Wagtail makes them.
MENTION = re.compile(r"(?<![\w@/.])@([a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?)\b", re.IGNORECASE)
# A bare address, not already a Markdown link target "](...)", label "[...]" or autolink
# "<...>"; in parentheses, "(see https://...)", it is one.
BARE_URL = re.compile(r"(?<!\]\()(?<![<\[\"'])\bhttps?://[^\s<>()\[\]\"']+[^\s<>()\[\]\"'.,;:!?]")


class MentionLink(NamedTuple):
    url: str
    name: str


def mentioned_slugs(text: str, profile_prefixes: Iterable[str] = ()) -> set[str]:
    """Slugs mentioned in ``text``: ``@slug``, and the last segment of links whose path
    starts with one of ``profile_prefixes`` (the cartography's path, say ``/cartography/``)."""
    slugs = {match.group(1).lower() for match in MENTION.finditer(text)}
    prefixes = tuple(p for p in profile_prefixes if p)
    if prefixes:
        for match in BARE_URL.finditer(text):
            path = urlsplit(match.group(0)).path
            if path.startswith(prefixes):
                segments = [s for s in path.split("/") if s]
                if segments:
                    slugs.add(segments[-1].lower())
    return slugs


def _markdown_label(name: str) -> str:
    return re.sub(r"([\\\[\]*_`])", r"\\\1", name)


def _with_links(text: str, mentions: Mapping[str, MentionLink]) -> str:
    def mention(match: re.Match) -> str:
        link = mentions.get(match.group(1).lower())
        if link is None:
            return match.group(0)
        return f"[@{_markdown_label(link.name)}]({link.url})"

    text = MENTION.sub(mention, text)
    return BARE_URL.sub(lambda m: f"<{m.group(0)}>", text)


_local = threading.local()


def _renderer() -> markdown.Markdown:
    """One Markdown instance per thread of execution, reset between texts (building one
    costs more than rendering a short post)."""
    md = getattr(_local, "markdown", None)
    if md is not None:
        return md.reset()
    md = markdown.Markdown(extensions=["fenced_code", "nl2br", "sane_lists"], output_format="html")
    # Raw HTML is text here: nothing a member types is passed through as markup.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    _local.markdown = md
    return md


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
    )


def render(text: str, mentions: Mapping[str, MentionLink] | None = None) -> SafeString:
    """``text`` as safe HTML (see the module's docstring)."""
    if not text:
        return mark_safe("")
    html = _renderer().convert(_with_links(text, mentions or {}))
    return mark_safe(sanitise(html))  # noqa: S308 - nh3's output, nothing else


def link_count(text: str) -> int:
    """Links in ``text`` as a member wrote it (bare addresses, Markdown links, autolinks)."""
    return len(re.findall(r"https?://|mailto:|www\.", text, re.IGNORECASE))


def quoted(text: str, author: str) -> str:
    """``text`` as a Markdown quotation, to start a reply that quotes it."""
    lines = [f"> {line}" if line else ">" for line in text.strip().splitlines()]
    return f"> **{_markdown_label(author)}**:\n" + "\n".join(lines) + "\n\n"
