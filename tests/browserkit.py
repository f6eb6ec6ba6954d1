"""A real headless Chromium for tests of what kubeguard shows in a browser (HTML report, dashboard).

Debian's ``chromium`` package (``/usr/bin/chromium``, or ``KUBEGUARD_CHROMIUM``) driven by Playwright
for Python; no browser is ever downloaded. A test folder uses the fixtures by importing them into its
``conftest.py``::

    from tests.browserkit import browser, browser_page

    __all__ = ["browser", "browser_page"]

``browser`` is one Chromium per test session (per xdist worker), launched with a fresh profile
(Playwright's temporary user-data dir) and the switches below, which keep Chromium itself quiet on
the network. ``browser_page`` gives each test a fresh browser context and a ``BrowserPage``: its
``page``, the console errors and uncaught page errors seen, and every request the page made. Every
request is routed through the fixture: ``file:`` URLs and URLs starting with one of
``allow(prefix)``'s prefixes (a test's own loopback server) go through, anything else is aborted,
so a test can never reach the internet, and all are recorded so a test can assert that none was
made. Screenshots (``shot(name)``, and one at the end of every test) are kept as test artifacts
in ``test-artifacts/browser/`` (``KUBEGUARD_TEST_ARTIFACTS`` moves the folder; it is gitignored).

Where Chromium or Playwright is missing, the tests skip and say why; with
``KUBEGUARD_REQUIRE_BROWSER=1`` (set by ``.ci/run``) they fail instead, so CI cannot pass by skipping.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("KUBEGUARD_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(
    os.environ.get("KUBEGUARD_TEST_ARTIFACTS", Path(__file__).resolve().parent.parent / "test-artifacts")
)
# No GPU, no sandbox (CI runs as root in a container), and none of Chromium's own traffic:
# component updates, sync, background fetches, QUIC probing.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _unavailable(reason: str) -> None:
    if os.environ.get("KUBEGUARD_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (KUBEGUARD_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session, or a skip saying why there is none."""
    if not CHROMIUM.exists():
        _unavailable(f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class BrowserPage:
    """A page and what it did: console errors, page errors and every request it made."""

    page: Any  # playwright.sync_api.Page (Playwright is optional at import time)
    artifact_prefix: Path
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)
    _shots: int = 0

    def allow(self, prefix: str) -> None:
        """Let requests to URLs starting with ``prefix`` through (a test's own loopback server)."""
        self.allowed.append(prefix)

    def open(self, path: Path) -> None:
        """Load a local file and wait until it and its scripts have loaded."""
        self.page.goto(path.resolve().as_uri(), wait_until="load")

    def network_requests(self) -> list[str]:
        """Requests that left the page for anything other than a local file."""
        return [url for url in self.requests if not url.startswith("file:")]

    def shot(self, name: str) -> Path:
        """Save a full-page screenshot as a test artifact and return its path."""
        self._shots += 1
        path = self.artifact_prefix.with_name(f"{self.artifact_prefix.name}-{self._shots:02d}-{name}.png")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=True)
        return path


def _artifact_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1])[:120]


@pytest.fixture
def browser_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[BrowserPage]:
    """A fresh context and page; records console errors and requests; screenshots at the end."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    folder = ARTIFACTS / "browser" / Path(request.node.path).stem
    result = BrowserPage(page, folder / _artifact_name(request.node.nodeid))

    def on_console(message: Any) -> None:
        if message.type == "error":
            result.console_errors.append(f"console: {message.text}")

    def on_route(route: Any) -> None:
        url = route.request.url
        if url.startswith("file:") or any(url.startswith(p) for p in result.allowed):
            route.continue_()
        else:
            route.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda error: result.console_errors.append(f"page error: {error}"))
    page.on("request", lambda req: result.requests.append(req.url))
    context.route("**/*", on_route)
    try:
        yield result
        result.shot("end")
    finally:
        context.close()
