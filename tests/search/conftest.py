"""Fixtures of the search tests live in tests/conftest.py (shared with other apps)."""

from tests.conftest import SEARCH_PREFIX as PREFIX  # noqa: F401
