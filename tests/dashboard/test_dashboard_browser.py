"""The dashboard in a real headless Chromium: pages render without console errors or outside
requests, the filters and the diff view work, and input text is shown as text."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from kubeguard.cli.main import cli
from kubeguard.store import open_store
from tests.browserkit import BrowserPage
from tests.dashboard.conftest import Dashboard


def _open(bp: BrowserPage, dash: Dashboard, path: str) -> None:
    bp.allow(dash.url + "/")
    response = bp.page.goto(dash.url + path, wait_until="load")
    assert response is not None and response.status == 200, path


def _clean(bp: BrowserPage, dash: Dashboard) -> None:
    assert bp.console_errors == []
    assert [u for u in bp.requests if not u.startswith(dash.url + "/")] == []


def _rows(bp: BrowserPage, selector: str = "table.findings tbody tr") -> list[list[str]]:
    return [
        [cell.inner_text().strip() for cell in row.query_selector_all("td")]
        for row in bp.page.query_selector_all(selector)
    ]


def test_overview_lists_every_source_with_score_and_chart(
    browser_page: BrowserPage, dashboard: Dashboard
) -> None:
    bp = browser_page
    _open(bp, dashboard, "/")
    rows = bp.page.query_selector_all("table.sources tbody tr")
    assert len(rows) == 2
    texts = [r.inner_text() for r in rows]
    shop_row = next(t for t in texts if dashboard.shop in t)
    assert "#2" in shop_row and "2 scans" in shop_row
    with open_store(dashboard.store) as store:
        latest = store.scan(2)
    assert latest is not None
    for fw, score in latest.scores.items():
        header = bp.page.query_selector_all("table.sources thead th")
        assert any(h.inner_text() == fw for h in header)
        assert (f"{score}%" if score is not None else "-") in shop_row
    charts = bp.page.query_selector_all("svg.chart")
    assert len(charts) == 2
    assert charts[0].query_selector("polyline.line-critical") is not None
    bp.shot("overview")
    _clean(bp, dashboard)


def test_markup_in_input_is_shown_as_text(browser_page: BrowserPage, dashboard: Dashboard) -> None:
    bp = browser_page
    _open(bp, dashboard, "/")
    assert bp.page.query_selector("table.sources b") is None
    assert "odd<b>folder</b>" in bp.page.inner_text("table.sources")
    _clean(bp, dashboard)


def test_filters_narrow_the_findings(browser_page: BrowserPage, dashboard: Dashboard) -> None:
    bp = browser_page
    _open(bp, dashboard, "/scans/2")
    with open_store(dashboard.store) as store:
        every = store.findings(2)
        critical = store.findings(2, severity=["critical"])
    assert len(_rows(bp)) == len(every) > len(critical) > 0
    bp.page.select_option("#filter-severity", "critical")
    bp.page.click("#filter-go")
    bp.page.wait_for_load_state("load")
    rows = _rows(bp)
    assert len(rows) == len(critical)
    assert {r[0].lower() for r in rows} == {"critical"}
    assert bp.page.inner_text("#count").startswith(f"{len(critical)} findings")
    bp.shot("critical")
    bp.page.select_option("#filter-severity", "*")
    bp.page.select_option("#filter-rule", "PSS002")
    bp.page.click("#filter-go")
    bp.page.wait_for_load_state("load")
    assert sorted((r[1], r[2]) for r in _rows(bp)) == [
        ("PSS002", "Pod/b -n shop"),
        ("PSS002", "Pod/c -n shop"),
    ]
    bp.shot("rule")
    _clean(bp, dashboard)


def test_filter_by_namespace(browser_page: BrowserPage, dashboard: Dashboard) -> None:
    bp = browser_page
    _open(bp, dashboard, "/scans/3?namespace=web")
    rows = _rows(bp)
    assert rows and all("-n web" in r[2] for r in rows)
    _open(bp, dashboard, "/scans/3?namespace=shop")
    assert _rows(bp) == []
    _clean(bp, dashboard)


def test_diff_view_from_a_scan_page(browser_page: BrowserPage, dashboard: Dashboard) -> None:
    bp = browser_page
    _open(bp, dashboard, "/scans/2")
    bp.page.select_option("#diff-with", "1")
    bp.page.click("#diff-go")
    bp.page.wait_for_load_state("load")
    assert bp.page.url.endswith("/diff?b=2&a=1")
    with open_store(dashboard.store) as store:
        diff = store.diff(1, 2)
    new_rows = _rows(bp, "#new table.findings tbody tr")
    fixed_rows = _rows(bp, "#fixed table.findings tbody tr")
    assert len(new_rows) == len(diff.new) > 0
    assert {r[2] for r in new_rows} == {"Pod/c -n shop"}
    assert [(r[1], r[2]) for r in fixed_rows] == [("PSS002", "Pod/a -n shop")]
    assert bp.page.inner_text("#diff-summary") == f"{len(diff.new)} new, 1 fixed, {diff.unchanged} unchanged"
    bp.shot("diff")
    _clean(bp, dashboard)


def test_finding_detail_and_its_history(browser_page: BrowserPage, dashboard: Dashboard) -> None:
    bp = browser_page
    _open(bp, dashboard, "/scans/2?rule=PSS002&namespace=shop")
    first = bp.page.query_selector("table.findings tbody tr")
    assert first is not None
    fingerprint = first.get_attribute("data-fingerprint")
    first.query_selector("a").click()
    bp.page.wait_for_load_state("load")
    assert bp.page.url.endswith(f"/scans/2/findings/{fingerprint}")
    body = bp.page.inner_text("main")
    assert fingerprint in body and "PSS002" in body
    seen = [a.inner_text() for a in bp.page.query_selector_all("main p a")]
    assert seen == ["#2", "#1"]  # pod b was privileged in both scans of this source
    _clean(bp, dashboard)


def test_the_source_page_links_consecutive_diffs(browser_page: BrowserPage, dashboard: Dashboard) -> None:
    bp = browser_page
    _open(bp, dashboard, "/")
    bp.page.click(f"table.sources a[href^='/source']:has-text('{Path(dashboard.shop).name}')")
    bp.page.wait_for_load_state("load")
    assert [r[0] for r in _rows(bp, "table.scans tbody tr")] == ["#2", "#1"]
    bp.page.click("text=since #1")
    bp.page.wait_for_load_state("load")
    assert "/diff?a=1&b=2" in bp.page.url
    _clean(bp, dashboard)


def test_read_only_and_errors_without_tracebacks(dashboard: Dashboard) -> None:
    request = urllib.request.Request(dashboard.url + "/scans/1", method="POST", data=b"x")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=10)
    assert err.value.code == 405
    for path, code in (("/scans/99", 404), ("/scans/1?page=x", 400), ("/diff?a=1", 400), ("/nope", 404)):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(dashboard.url + path, timeout=10)
        assert err.value.code == code, path
        assert "Traceback" not in err.value.read().decode()
    with urllib.request.urlopen(dashboard.url + "/", timeout=10) as ok:
        assert "default-src 'none'" in ok.headers["Content-Security-Policy"]


def test_plain_http_off_loopback_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["dashboard", "--store", str(tmp_path / "s.db"), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "plain HTTP is served only on a loopback address" in result.stderr
