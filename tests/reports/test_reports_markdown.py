"""``-f markdown``: a summary and a findings table for pull-request comments, always under GitHub's limit."""

from __future__ import annotations

import dataclasses
import re

from click.testing import CliRunner
from markdown_it import MarkdownIt

from kubeguard.cli.main import cli
from kubeguard.model.errors import InputError
from kubeguard.reporters import markdown, render
from tests.reports.helpers import EXAMPLES, example_report, hostile_finding

_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _rows(html: str) -> list[list[str]]:
    """The findings table's body rows as lists of cell HTML."""
    tables = re.findall(r"<table>.*?</table>", html, re.S)
    body = re.search(r"<tbody>(.*?)</tbody>", tables[-1], re.S)
    assert body is not None
    return [
        re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    ]


def test_summary_and_one_row_per_finding_most_severe_first() -> None:
    report = example_report()
    text = render(report, "markdown")
    s = report.summary()
    assert f"**{s['findings']} finding(s)**" in text
    html = _MD.render(text)
    severity_table = re.findall(r"<table>.*?</table>", html, re.S)[0]
    for label, n in s["bySeverity"].items():
        assert f'<td>{label.capitalize()}</td>\n<td style="text-align:right">{n}</td>' in severity_table
    rows = _rows(html)
    active = report.active_findings()
    assert len(rows) == len(active) == s["findings"] > 20
    ranks = ["INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
    order = [ranks.index(r[0]) for r in rows]
    assert order == sorted(order, reverse=True)
    first = max(active, key=lambda f: (f.severity, -(f.line or 0)))
    assert rows[0][0] == first.severity.label.upper()
    assert "Truncated" not in text


def test_hostile_text_stays_literal_and_in_its_cell() -> None:
    report = example_report()
    report.findings = [hostile_finding(f, i) for i, f in enumerate(report.findings[:5])]
    text = render(report, "markdown")
    html = _MD.render(text)
    assert "<script" not in html and "<a " not in html and "<img" not in html and "<em>" not in html
    rows = _rows(html)
    assert len(rows) == 5
    for row in rows:
        assert len(row) == 5  # the '|' in names and messages did not split a cell
        # shown as written (HTML-escaped by the renderer), line break shown escaped
        assert "a|b &lt;script&gt;alert(1)&lt;/script&gt; [x](https://evil.example)" in row[4]
        assert "@someone #1\\nnext" in row[4]
        assert "ns&lt;b&gt;/name-" in row[2]


def test_truncated_below_githubs_limit_and_says_so() -> None:
    report = example_report()
    base = report.active_findings()
    report.findings = [
        dataclasses.replace(f, message=f"{f.message} copy {i}") for i in range(120) for f in base
    ]
    total = len(report.findings)
    text = render(report, "markdown")
    assert len(text) < markdown.LIMIT == 65_536
    m = re.search(r"\*\*Truncated:\*\* ([\d,]+) of ([\d,]+) findings not shown", text)
    assert m is not None, text[-500:]
    left, all_ = (int(g.replace(",", "")) for g in m.groups())
    shown = _rows(_MD.render(text))
    assert all_ == total and len(shown) + left == total and left > 0
    # what was kept is the most severe
    kept = {r[0] for r in shown}
    assert "CRITICAL" in kept and "LOW" not in kept


def test_exactly_at_the_limit() -> None:
    report = example_report()
    full = markdown.render(report)
    n = len(full)
    # a limit one above the length: everything fits, nothing is cut
    assert markdown.render(report, limit=n + 1) == full
    # at the limit itself it no longer fits (the report must be shorter than the limit)
    cut = markdown.render(report, limit=n)
    assert len(cut) < n and "**Truncated:**" in cut
    assert re.search(r"\*\*Truncated:\*\* \d+ of \d+ findings not shown", cut)


def test_errors_and_warnings_are_listed() -> None:
    report = example_report()
    report.warnings.append("a <warning>")
    text = render(report, "markdown")
    assert "### Warnings" in text and "- a \\<warning>" in text


def test_cli_writes_markdown(tmp_path) -> None:
    out = tmp_path / "r.md"
    result = CliRunner().invoke(
        cli, ["scan", "--no-progress", str(EXAMPLES / "insecure"), "-f", "markdown", "-o", str(out)]
    )
    assert result.exit_code == 1, result.output
    assert out.read_text().startswith("## kubeguard scan\n")


def test_a_section_cut_whole_leaves_no_empty_heading() -> None:
    report = example_report()
    # each longer than any findings row, so neither fits the room the last row left
    report.errors.append(InputError("k8s/broken.yaml", "not YAML " + "e" * 380, line=3))
    report.warnings += ["w" * 390, "v" * 390]
    base = report.active_findings()
    report.findings = [
        dataclasses.replace(f, message=f"{f.message} copy {i}") for i in range(120) for f in base
    ]
    text = render(report, "markdown")
    assert "**Truncated:**" in text and "1 of 1 input errors" in text and "2 of 2 warnings" in text
    # the findings filled the comment: neither section's heading is left without its items
    assert "### Input errors" not in text and "### Warnings" not in text
    # a section whose first item fits keeps its heading with that item
    full = markdown.render(report, limit=10**9)
    cut_at = full.index("### Warnings") + 100 + markdown._NOTE_ROOM  # room for less than the warning
    partial = markdown.render(report, limit=cut_at)
    assert "### Input errors\n\n- k8s/broken.yaml:3: not YAML" in partial and "### Warnings" not in partial
    assert "2 of 2 warnings not shown" in partial
