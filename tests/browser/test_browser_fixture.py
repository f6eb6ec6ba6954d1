"""The browser fixture itself: it sees console errors and requests, blocks the network, keeps screenshots."""

from __future__ import annotations

from pathlib import Path

from tests.browserkit import BrowserPage


def test_a_quiet_page_has_no_errors_and_no_network_request(browser_page: BrowserPage, tmp_path: Path) -> None:
    page = tmp_path / "quiet.html"
    page.write_text("<!doctype html><title>q</title><p id=p>hello</p><script>document.title='done'</script>")
    browser_page.open(page)
    assert browser_page.page.title() == "done"
    assert browser_page.console_errors == []
    assert browser_page.network_requests() == []
    # the page itself is the only request, and it is a local file
    assert browser_page.requests == [page.resolve().as_uri()]


def test_requests_are_recorded_and_blocked_and_errors_collected(
    browser_page: BrowserPage, tmp_path: Path
) -> None:
    page = tmp_path / "noisy.html"
    page.write_text(
        "<!doctype html><title>n</title>"
        '<img id=i src="https://kubeguard.invalid/pixel.png">'
        "<script>console.error('boom')</script><script>throw new Error('late')</script>"
    )
    browser_page.open(page)
    assert browser_page.network_requests() == ["https://kubeguard.invalid/pixel.png"]
    # blocked: the image never loaded
    assert browser_page.page.eval_on_selector("#i", "img => img.naturalWidth") == 0
    assert "console: boom" in browser_page.console_errors
    assert any(e.startswith("page error:") and "late" in e for e in browser_page.console_errors)


def test_screenshots_are_kept_as_artifacts(browser_page: BrowserPage, tmp_path: Path) -> None:
    page = tmp_path / "shot.html"
    page.write_text("<!doctype html><body style='background:#c00'><h1>shot</h1>")
    browser_page.open(page)
    path = browser_page.shot("red")
    assert path.parent.parent.name == "browser"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
