"""The HTML report in a real headless Chromium: quiet, offline, and its filters, search, sort and charts work."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kubeguard.findings.report import ScanReport
from kubeguard.reporters import html
from tests.browserkit import BrowserPage
from tests.reports.helpers import example_report, hostile_finding


def _open(browser_page: BrowserPage, tmp_path: Path, report: ScanReport) -> None:
    path = tmp_path / "report.html"
    path.write_text(html.render(report), encoding="utf-8")
    browser_page.open(path)
    browser_page.page.wait_for_selector("body[data-ready=true]")


def _visible(browser_page: BrowserPage) -> list[dict[str, str]]:
    return browser_page.page.eval_on_selector_all(
        "article.finding",
        "cards => cards.filter(c => c.offsetParent !== null).map(c => Object.assign({}, c.dataset))",
    )


def _shown_text(browser_page: BrowserPage) -> str:
    return browser_page.page.inner_text("#shown")


@pytest.fixture
def report() -> ScanReport:
    return example_report()


def test_loads_quietly_and_offline(browser_page: BrowserPage, tmp_path: Path, report: ScanReport) -> None:
    _open(browser_page, tmp_path, report)
    browser_page.shot("loaded")
    assert browser_page.console_errors == []
    assert browser_page.network_requests() == []
    assert len(browser_page.requests) == 1  # the file itself
    n = len(report.active_findings())
    assert _shown_text(browser_page) == f"Showing {n} of {len(report.findings)} findings"
    assert len(_visible(browser_page)) == n


def test_charts_render(browser_page: BrowserPage, tmp_path: Path, report: ScanReport) -> None:
    _open(browser_page, tmp_path, report)
    page = browser_page.page
    by_sev = report.summary()["bySeverity"]
    top = max(by_sev.values())
    boxes = {}
    for label, count in by_sev.items():
        box = page.locator(f"#severity-chart rect.bar-{label}").bounding_box()
        assert box is not None and box["height"] > 10
        boxes[label] = (count, box["width"])
    # bar widths follow the counts: the largest count has the longest bar, zero has none
    widths = {label: w for label, (c, w) in boxes.items()}
    assert max(widths, key=lambda k: widths[k]) == max(by_sev, key=lambda k: by_sev[k])
    for count, width in boxes.values():
        assert width == pytest.approx(260 * count / top, abs=1.0)
    svg = page.locator("#severity-chart svg").bounding_box()
    assert svg is not None and svg["width"] > 300 and svg["height"] > 100
    bars = page.locator("#framework-chart rect.bar-score")
    assert bars.count() == page.locator("#frameworks tbody tr").count() > 0
    for i in range(bars.count()):
        score = bars.nth(i).get_attribute("data-score")
        box = bars.nth(i).bounding_box()
        assert box is not None
        assert box["width"] == pytest.approx(260 * float(score or 0) / 100, abs=1.0)
    browser_page.shot("charts")
    assert browser_page.console_errors == []


def test_severity_family_namespace_filters(
    browser_page: BrowserPage, tmp_path: Path, report: ScanReport
) -> None:
    _open(browser_page, tmp_path, report)
    page = browser_page.page
    active = report.active_findings()
    for label in ("high", "medium", "low", "info"):
        page.uncheck(f"input[name=severity][value={label}]")
    shown = _visible(browser_page)
    assert {c["severity"] for c in shown} == {"critical"}
    assert len(shown) == sum(1 for f in active if f.severity.label == "critical")
    browser_page.shot("critical-only")
    for label in ("high", "medium", "low", "info"):
        page.check(f"input[name=severity][value={label}]")
    page.select_option("#family", "RBAC")
    shown = _visible(browser_page)
    assert len(shown) == sum(1 for f in active if f.rule.family == "RBAC") > 0
    assert {c["family"] for c in shown} == {"RBAC"}
    page.select_option("#family", "")
    page.select_option("#namespace", "(cluster)")
    shown = _visible(browser_page)
    assert len(shown) == sum(1 for f in active if f.object.namespace is None) > 0
    # groups without a visible finding are hidden
    hidden_groups = page.eval_on_selector_all(
        "#by-rule section.group", "gs => gs.filter(g => g.hidden).length"
    )
    assert hidden_groups > 0
    assert browser_page.console_errors == []


def test_search_changes_what_is_shown(browser_page: BrowserPage, tmp_path: Path, report: ScanReport) -> None:
    _open(browser_page, tmp_path, report)
    page = browser_page.page
    page.fill("#search", "docker.sock")
    shown = _visible(browser_page)
    expected = [f for f in report.active_findings() if "docker.sock" in f.message.lower()]
    assert len(shown) == len(expected) > 0
    assert _shown_text(browser_page) == f"Showing {len(expected)} of {len(report.findings)} findings"
    browser_page.shot("search")
    page.fill("#search", "no such thing anywhere")
    assert _visible(browser_page) == []
    page.fill("#search", "")
    assert len(_visible(browser_page)) == len(report.active_findings())


def test_sort_and_group_by_object(browser_page: BrowserPage, tmp_path: Path, report: ScanReport) -> None:
    _open(browser_page, tmp_path, report)
    page = browser_page.page
    page.select_option("#view", "object")
    assert page.is_hidden("#by-rule") and page.is_visible("#by-object")
    groups = page.eval_on_selector_all("#by-object section.group", "gs => gs.map(g => g.dataset.group)")
    assert sorted(groups) == sorted({str(f.object) for f in report.findings})
    # every card sits in its object's group
    misplaced = page.eval_on_selector_all(
        "#by-object article.finding",
        "cs => cs.filter(c => c.closest('section').dataset.group !== c.dataset.object).length",
    )
    assert misplaced == 0
    page.select_option("#sort", "file")
    page.select_option("#view", "rule")
    for group in page.locator("#by-rule section.group").all()[:5]:
        cards = group.locator("article.finding").evaluate_all(
            "cs => cs.map(c => [c.dataset.file, Number(c.dataset.line)])"
        )
        assert cards == sorted(cards)
    browser_page.shot("by-rule-sorted")
    assert browser_page.console_errors == []


def test_suppressed_shown_on_request(browser_page: BrowserPage, tmp_path: Path, report: ScanReport) -> None:
    report.findings[0] = dataclasses.replace(
        report.findings[0], suppressed=True, suppression="annotation: accepted"
    )
    _open(browser_page, tmp_path, report)
    page = browser_page.page
    assert len(_visible(browser_page)) == len(report.findings) - 1
    page.check("#show-suppressed")
    assert len(_visible(browser_page)) == len(report.findings)
    assert (
        page.locator("article.finding.suppressed .suppression").inner_text()
        == "Suppressed: annotation: accepted"
    )


def test_prints_without_controls(browser_page: BrowserPage, tmp_path: Path, report: ScanReport) -> None:
    _open(browser_page, tmp_path, report)
    page = browser_page.page
    page.emulate_media(media="print")
    assert page.is_hidden("#controls")
    assert page.is_visible("#severity-chart")
    browser_page.shot("print")
    pdf_like = page.evaluate("() => getComputedStyle(document.querySelector('header')).backgroundColor")
    assert pdf_like == "rgb(255, 255, 255)"


def test_hostile_input_stays_text(browser_page: BrowserPage, tmp_path: Path, report: ScanReport) -> None:
    report.findings = [hostile_finding(f, i) for i, f in enumerate(report.findings[:4])]
    _open(browser_page, tmp_path, report)
    page = browser_page.page
    assert page.evaluate("() => document.querySelectorAll('main script, main img, main i').length") == 0
    text = page.locator("article.finding .message").first.inner_text()
    assert "<script>alert(1)</script>" in text
    assert browser_page.console_errors == []
    assert browser_page.network_requests() == []


def test_compliance_page(browser_page: BrowserPage, tmp_path: Path, report: ScanReport) -> None:
    from kubeguard.findings.compliance import ControlStatus, assess_all

    assessments = [a for a in assess_all(report) if a.framework.id == "cis-1.12"]
    path = tmp_path / "compliance.html"
    path.write_text(html.render_compliance(assessments, report), encoding="utf-8")
    browser_page.open(path)
    page = browser_page.page
    page.wait_for_selector("body[data-ready=true]")
    rows = page.locator("#controls-cis-1\\.12 tbody tr")
    assert rows.count() == len(assessments[0].controls)
    failed = page.locator("#controls-cis-1\\.12 tr[data-status=fail]")
    assert failed.count() == sum(1 for c in assessments[0].controls if c.status is ControlStatus.FAIL) > 0
    link = failed.first.locator("a").first
    target = link.get_attribute("href")
    link.click()
    assert page.evaluate("() => location.hash") == target
    assert page.locator(str(target)).is_visible()
    browser_page.shot("compliance")
    assert browser_page.console_errors == []
    assert browser_page.network_requests() == []
