"""``kubeguard compliance`` output: framework assessments (:mod:`kubeguard.findings.compliance`) as text.

:data:`RENDERERS` maps each format name to its renderer; the command offers exactly these formats.
A renderer takes the assessments (one per framework asked for, in order) and the scan report they
were judged on, and returns the whole output; Markdown and HTML are ``render_compliance`` of their
reporters. A new format is one entry here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from kubeguard.findings.compliance import ControlResult, ControlStatus, FrameworkAssessment
from kubeguard.findings.report import ScanReport
from kubeguard.reporters.layout import Column, Screen, Styled, block, clean, table
from kubeguard.reporters.table import cluster_lines, problem_lines, warning_lines

Renderer = Callable[[Sequence[FrameworkAssessment], ScanReport], str]

#: Findings shown under a failed control in the table; the rest are counted (all are in JSON).
TABLE_FINDINGS = 5

_STYLES = {
    ControlStatus.PASS: "bold green",
    ControlStatus.FAIL: "bold red",
    ControlStatus.NOT_ASSESSED: "dim",
    ControlStatus.MANUAL: "yellow",
    ControlStatus.NOT_COVERED: "dim",
}
_COLUMNS = (
    Column("STATUS"),
    Column("CONTROL"),
    Column("TITLE", wrap=True, min_width=30),
    Column("", wrap=True),
)
_FINDINGS = (Column(""), Column(""), Column("", wrap=True, min_width=30))


def to_json(assessments: Sequence[FrameworkAssessment], report: ScanReport | None = None) -> str:
    """One framework: its ``{"framework", "score", "controls"}`` object; several: a list of them."""
    docs: Any = [a.to_dict() for a in assessments]
    return json.dumps(docs[0] if len(docs) == 1 else docs, indent=2, ensure_ascii=False) + "\n"


def score_text(a: FrameworkAssessment) -> str:
    """``62.5%`` or ``n/a`` (no control passed or failed)."""
    return "n/a" if a.score is None else f"{a.score:g}%"


def to_table(
    assessments: Sequence[FrameworkAssessment], report: ScanReport | None = None, screen: Screen | None = None
) -> str:
    """Per framework: a heading with the score and counts, then each control a row (failed controls
    with their findings below), in the framework's order; then, as in the scan's table, what a cluster
    gave, the input that could not be read and the warnings (a control judged on part of the input
    must say so)."""
    screen = screen or Screen()
    lines: list[str] = []
    for a in assessments:
        fw = a.framework
        counts = a.counts()
        summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
        head = clean(f"{fw.title} {fw.version} ({fw.id}): score {score_text(a)}")
        if lines:
            lines.append("")
        lines.append(screen.style(head, "bold"))
        lines.append(f"  {summary}")
        rows = []
        for c in a.controls:
            rows.append((Styled(c.status.value, _STYLES[c.status]), c.id, c.title, _note(c)))
        lines.extend(table(_COLUMNS, rows, screen, indent=2))
        for c in a.controls:
            if c.status is ControlStatus.FAIL:
                lines.extend(_failed(c, screen))
    if report is not None:
        tail = cluster_lines(report, screen) + problem_lines(report, screen) + warning_lines(report, screen)
        if tail:
            lines.append("")
            lines.extend(tail[:-1] if tail[-1] == "" else tail)
    return block(lines)


def _note(c: ControlResult) -> str:
    if c.status is ControlStatus.FAIL:
        n = len(c.active_findings)
        return f"{n} finding{'s' if n != 1 else ''}"
    return c.detail or ""


def _failed(c: ControlResult, screen: Screen) -> list[str]:
    active = c.active_findings
    rows = [
        (f.rule.code, f"{f.file}:{f.line}" if f.line else f.file, f.message) for f in active[:TABLE_FINDINGS]
    ]
    out = [clean(f"  {c.id} {c.title}")]
    out.extend(table(_FINDINGS, rows, screen, indent=4, header=False))
    if len(active) > TABLE_FINDINGS:
        out.append(f"    ... {len(active) - TABLE_FINDINGS} more (all in -f json)")
    return out


def _markdown(assessments: Sequence[FrameworkAssessment], report: ScanReport) -> str:
    from kubeguard.reporters import markdown  # imported when used: the command starts faster

    return markdown.render_compliance(assessments, report)


def _html(assessments: Sequence[FrameworkAssessment], report: ScanReport) -> str:
    from kubeguard.reporters import html  # Jinja2 and the template, only when asked for

    return html.render_compliance(assessments, report)


RENDERERS: dict[str, Renderer] = {
    "table": to_table,
    "json": to_json,
    "markdown": _markdown,
    "html": _html,
}

#: The formats ``kubeguard compliance`` offers.
FORMATS = tuple(RENDERERS)


def render(
    assessments: Sequence[FrameworkAssessment],
    report: ScanReport,
    fmt: str,
    *,
    screen: Screen | None = None,
) -> str:
    """The assessments in ``fmt`` (one of :data:`FORMATS`); ``screen`` matters only to the table."""
    if fmt == "table":
        return to_table(assessments, report, screen)
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return RENDERERS[fmt](assessments, report)
