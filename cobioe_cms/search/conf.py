"""The ``COBIOE_SEARCH`` setting, read on every call rather than at import so tests
(and ``override_settings``) can point the app at another node or prefix."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

DEFAULTS: dict[str, object] = {"URL": "", "INDEX_PREFIX": "cobioe", "TIMEOUT": 2}


@dataclass(frozen=True)
class SearchSettings:
    url: str
    index_prefix: str
    timeout: float

    @property
    def configured(self) -> bool:
        """An empty URL means the site runs on its database backend only."""
        return bool(self.url)


def search_settings() -> SearchSettings:
    values = {**DEFAULTS, **(getattr(settings, "COBIOE_SEARCH", None) or {})}
    return SearchSettings(
        url=str(values["URL"] or "").rstrip("/"),
        index_prefix=str(values["INDEX_PREFIX"] or "cobioe").lower(),
        timeout=float(values["TIMEOUT"]),
    )
