"""Real-browser tests: headless Debian Chromium driven by Playwright (design.md §4).

Playwright's own browser download does not work on these machines, so the tests launch
the system's ``/usr/bin/chromium``. They skip on a developer machine without it (or
without the ``playwright`` package) and fail in CI (``CI`` set), which must install it.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
# Flags that make Chromium run headless as root on a machine without a GPU or network
# access to Google's update and field-trial services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide the browser tests' Chromium: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(site_snapshot) -> Iterator:
    """One headless Chromium per test module. ``launch`` (not a persistent context)
    gives it a fresh temporary profile directory, removed on close.

    Module scope, not session: while Playwright's sync API is started, it keeps an
    asyncio event loop running in this thread, which must not outlive the browser tests.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (requirements-dev.txt)")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    # With that loop running, Django refuses every ORM call made from this thread
    # (SynchronousOnlyOperation), including the test database's own set-up. The tests
    # touch the ORM only between browser calls, never while one is pending, so it is
    # safe to allow it for as long as the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A page in a fresh browser context, for the axe checks.

    The site sends ``Content-Security-Policy: script-src 'self'``, which would block the
    axe-core script the tests inject: ``bypass_csp`` lets it run. The CSP itself is
    tested without the bypass (``test_csp_does_not_break_the_map``).
    """
    context = browser.new_context(bypass_csp=True, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def strict_page(browser, live_server):
    """A page in a fresh context that enforces the site's CSP, as a visitor's browser."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
