"""Admin of the economic watch (Wagtail hooks)."""

from . import admin_sources  # noqa: F401 -- registers the "Watch" menu (sources, items)
