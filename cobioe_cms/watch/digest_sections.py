"""Sections that higher apps add to the watch digest, without ``watch`` importing them.

An app registers, in its ``AppConfig.ready()``::

    register_digest_section("community", build, on_sent=mark_sent)

``build(user, since, until)`` returns ``None`` (nothing for this member) or a dict:

- ``title``: the section's heading (already translated; the digest is rendered in the
  site's language);
- ``items``: a list of ``{"text": str, "url": absolute URL}``, shown as the other lines;
- optionally ``more_text`` and ``more_url``: a last line ("and 12 more…").

``on_sent(user, section)``, if given, runs once the digest that carried the section is
sent (in the same transaction as the digest's delivery row), so that the app marks what
it delivered. Sections are shown after the watch's own, in the order of registration.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

Builder = Callable[..., "dict | None"]


@dataclass(frozen=True)
class DigestSection:
    key: str
    build: Builder
    on_sent: Callable | None = None


_sections: dict[str, DigestSection] = {}


def register_digest_section(key: str, build: Builder, on_sent: Callable | None = None) -> None:
    """Add (or replace, for the same ``key``) a section of every member's digest."""
    _sections[key] = DigestSection(key, build, on_sent)


def unregister_digest_section(key: str) -> None:
    _sections.pop(key, None)


def registered_sections() -> list[DigestSection]:
    return list(_sections.values())


def build_sections(user, since: datetime.datetime, until: datetime.datetime) -> list[dict]:
    """Every registered section with something for ``user``, each with its ``key``."""
    built = []
    for section in registered_sections():
        content = section.build(user, since, until)
        if content and content.get("items"):
            built.append({**content, "key": section.key})
    return built


def sections_sent(user, sections: list[dict]) -> None:
    for content in sections:
        section = _sections.get(content["key"])
        if section is not None and section.on_sent is not None:
            section.on_sent(user, content)
