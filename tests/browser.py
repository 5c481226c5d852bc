"""Headless Chromium for tests that check a page the way a person would see it.

Uses Debian's /usr/bin/chromium driven by Playwright (no browser download). Outside CI a
missing Chromium skips the test with the reason; in CI (env CI set) it fails loudly, because a
skipped browser test there would hide a broken install step.

    from browser import browser_page, page_fixture

    def test_page(tmp_path):
        with browser_page() as page:
            page.goto(path.as_uri())

    page = page_fixture(scope="module")   # or as a fixture
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("KATA_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_HINT = "apt-get install -y chromium && pip install playwright"
_LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


def require_chromium() -> None:
    """Skip (locally) or fail (in CI) when Chromium or Playwright is missing."""
    problems = []
    if not CHROMIUM.exists():
        problems.append(f"{CHROMIUM} not found")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("the playwright package is not installed")
    if not problems:
        return
    reason = f"headless browser unavailable: {'; '.join(problems)} (install: {INSTALL_HINT})"
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


_shared: dict[str, Any] = {}


def _browser() -> Any:
    """One Playwright driver and one Chromium per test process, started on first use.

    Playwright's sync API allows a single driver per thread, so pages (each in its own
    browser context) share it; it is stopped when the process exits.
    """
    if "browser" not in _shared:
        from playwright.sync_api import sync_playwright

        driver = sync_playwright().start()
        try:
            browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        except Exception:
            driver.stop()
            raise
        _shared.update(driver=driver, browser=browser)
        atexit.register(_shutdown)
    return _shared["browser"]


def _shutdown() -> None:
    browser, driver = _shared.pop("browser", None), _shared.pop("driver", None)
    if browser is not None:
        browser.close()
    if driver is not None:
        driver.stop()


@contextmanager
def browser_page(offline: bool = True, width: int = 1200, height: int = 900) -> Iterator[Any]:
    """A fresh Playwright page, in its own browser context, in headless Chromium.

    With `offline` (the default) every request that is not file:, data:, about: or blob: is
    aborted and its URL appended to `page.blocked_urls`, so a test can assert that a page is
    self-contained and nothing reaches the network. Console errors and uncaught page errors
    are collected in `page.console_errors`.
    """
    require_chromium()
    context = _browser().new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.blocked_urls = []
        page.console_errors = []
        page.on("console", lambda msg: msg.type == "error"
                and page.console_errors.append(msg.text))
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        if offline:
            def guard(route: Any) -> None:
                url = route.request.url
                if url.startswith(_LOCAL_SCHEMES):
                    route.continue_()
                else:
                    page.blocked_urls.append(url)
                    route.abort()

            page.route("**/*", guard)
        yield page
    finally:
        context.close()


def page_fixture(scope: str = "function", **options: Any) -> Callable[..., Iterator[Any]]:
    """Build a pytest fixture yielding a browser page; assign it to a name in a test module."""

    @pytest.fixture(scope=scope)
    def _page() -> Iterator[Any]:
        with browser_page(**options) as page:
            yield page

    return _page
