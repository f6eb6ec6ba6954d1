"""Compliance assessments as Markdown and HTML (``kubeguard compliance -f markdown|html``)."""

from __future__ import annotations

import dataclasses
import re

from markdown_it import MarkdownIt

from kubeguard.findings.compliance import ControlStatus, assess_all
from kubeguard.reporters import html, markdown
from tests.reports.helpers import example_report

_MD = MarkdownIt("commonmark").enable(["table"])


def test_markdown_scores_failed_controls_and_manual_checks() -> None:
    report = example_report()
    assessments = assess_all(report)
    text = markdown.render_compliance(assessments, report)
    assert text.startswith("## kubeguard compliance\n")
    for a in assessments:
        score = "n/a" if a.score is None else f"{a.score:g}%"
        counts = a.counts()
        row = f"| {score} | {counts['pass']} | {counts['fail']} | {counts['not-assessed']} | {counts['manual']} | {counts['not-covered']} |"
        assert f"(`{a.framework.id}`) {row}" in text, a.framework.id
    failed = [(a.framework.id, c) for a in assessments for c in a.controls if c.status is ControlStatus.FAIL]
    html_text = _MD.render(text)
    body = re.findall(r"<tbody>(.*?)</tbody>", html_text, re.S)[1]
    assert len(re.findall(r"<tr>", body)) == len(failed) > 0
    fw, control = failed[0]
    assert f"| `{fw}` | `{control.id}` |" in text
    assert f"| {len(control.active_findings)} |" in text
    manual = [c for a in assessments for c in a.controls if c.status is ControlStatus.MANUAL and c.detail]
    assert text.count("\n- `") == len(manual) > 0


def test_markdown_compliance_stays_under_the_limit() -> None:
    report = example_report()
    assessments = assess_all(report)
    full = markdown.render_compliance(assessments, report)
    cut = markdown.render_compliance(assessments, report, limit=len(full) // 2)
    assert len(cut) < len(full) // 2 and "**Truncated:**" in cut
    assert markdown.render_compliance(assessments, report, limit=len(full) + 1) == full


def test_html_compliance_page_lists_controls_and_links_findings() -> None:
    report = example_report()
    assessments = [a for a in assess_all(report) if a.framework.id in ("cis-1.12", "pss")]
    page = html.render_compliance(assessments, report)
    assert "<title>kubeguard compliance report</title>" in page
    for a in assessments:
        section = re.search(
            rf'<section class="controls-table" id="controls-{re.escape(a.framework.id)}">(.*?)</section>',
            page,
            re.S,
        )
        assert section is not None
        rows = re.findall(r'<tr data-control="([^"]+)" data-status="([^"]+)">', section.group(1))
        assert rows == [(c.id, c.status.value) for c in a.controls]
    # a failed control links to its findings' cards, which exist on the page
    links = set(re.findall(r'<a href="#f-(\d+)">', page))
    cards = set(re.findall(r'<article class="finding[^"]*" id="f-(\d+)"', page))
    assert links and links <= cards
    # only the chosen frameworks are scored
    assert re.findall(r'<tr data-framework="([^"]+)">', page) == ["cis-1.12", "pss"]


def test_html_scan_page_has_no_control_tables() -> None:
    report = example_report()
    assert 'class="controls-table"' not in html.render(dataclasses.replace(report))


def test_markdown_where_names_each_place_once() -> None:
    # overlays of one base (podinfo's dev, staging, production) give one finding per overlay at the
    # base's file and line: the three places shown were one place three times
    report = example_report()
    f = next(f for f in report.active_findings() if f.rule.code == "PSS002")
    report.findings = [
        dataclasses.replace(f, object=dataclasses.replace(f.object, namespace=ns)) for ns in ("a", "b", "c")
    ]
    text = markdown.render_compliance(assess_all(report, ["cis-1.12"]), report)
    row = next(line for line in text.splitlines() if line.startswith("| `cis-1.12` | `5.2.2` |"))
    assert row.endswith(f"| 3 | `PSS002` | `{f.file}:{f.line}` |"), row
