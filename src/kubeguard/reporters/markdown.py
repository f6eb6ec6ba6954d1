"""Markdown output for pull-request comments and CI job summaries: a summary and a findings table.

GitHub refuses a comment of 65,536 characters or more, so the report is always shorter: findings
are listed most severe first, and when they do not all fit, the rows that fit are kept and a line
says how many were left out. Text from the input is escaped so that it is shown as written and can
neither break the table nor add links, images or HTML to the comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from kubeguard.findings.compliance import FrameworkAssessment
from kubeguard.findings.report import Finding, ScanReport
from kubeguard.reporters.layout import clean

#: GitHub's limit for a comment body (characters); the report stays below it.
LIMIT = 65_536

#: A cell longer than this is cut (one message must not take the whole comment).
MAX_CELL = 400

# What could start markup inside a table cell: emphasis, code, links and images (brackets), HTML and
# entities, strikethrough, the cell separator, and mentions and issue references (which notify people).
_SPECIAL = re.compile(r"([\\`*_\[\]<|~&@#])")


def escape(value: object) -> str:
    """``value`` as literal Markdown text for one table cell: one line, no markup, no HTML."""
    text = clean(value)
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "\u2026"
    return _SPECIAL.sub(r"\\\1", text)


def _code(value: object) -> str:
    """``value`` as inline code: backticks cannot be escaped inside code spans, so they are replaced."""
    text = clean(value).replace("`", "\u2018")
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "\u2026"
    text = text.replace("|", "\\|")
    return f"`{text}`"


def _severity_line(by_severity: dict[str, int]) -> str:
    parts = [f"{n} {label}" for label, n in reversed(by_severity.items()) if n]
    return ", ".join(parts)


def summary_lines(report: ScanReport, title: str = "kubeguard scan") -> list[str]:
    """The heading, the one-line summary and the severity counts table."""
    s = report.summary()
    sev = _severity_line(s["bySeverity"])
    lines = [
        f"## {title}",
        "",
        f"**{s['findings']} finding(s)**"
        + (f" ({sev})" if sev else "")
        + f", {s['suppressed']} suppressed, {s['resources']} resource(s) in {s['files']} input(s),"
        + f" {s['rules']} rule(s)"
        + (f", **{s['errors']} input error(s)**" if s["errors"] else ""),
        "",
        "| Severity | Findings |",
        "|---|---:|",
    ]
    lines += [f"| {label.capitalize()} | {n} |" for label, n in reversed(s["bySeverity"].items())]
    return lines


def _location(f: Finding) -> str:
    return _code(f"{f.file}:{f.line}" if f.line is not None else f.file)


def _row(f: Finding) -> str:
    return (
        f"| {f.severity.label.upper()} | {_code(f.rule.code)} {escape(f.rule.slug)} | {escape(f.object)}"
        f" | {_location(f)} | {escape(f.message)} |"
    )


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then by file and line: what is cut when the comment is full matters least."""
    return sorted(findings, key=lambda f: (-f.severity, *f.sort_key()))


def render(report: ScanReport, *, limit: int = LIMIT) -> str:
    """The report as Markdown, shorter than ``limit`` characters."""
    findings = ordered(report.active_findings())
    head = summary_lines(report)
    rows = [_row(f) for f in findings]
    return fit(head, rows, problem_sections(report), limit=limit)


def problem_sections(report: ScanReport) -> list[tuple[str, list[str]]]:
    """The report's input errors (rule errors included) and warnings, as sections for :func:`fit`."""
    problems = [f"- {escape(e)}" for e in report.errors]
    problems += [
        f"- {escape(f'{e.file}: rule {e.rule} failed on {e.object}: {e.message}')}"
        for e in report.rule_errors
    ]
    warnings = [f"- {escape(w)}" for w in report.warnings]
    return [("Input errors", problems), ("Warnings", warnings)]


def fit(
    head: list[str],
    rows: list[str],
    sections: list[tuple[str, list[str]]],
    *,
    limit: int = LIMIT,
    table_head: tuple[str, str] = (
        "| Severity | Rule | Object | Location | Message |",
        "|---|---|---|---|---|",
    ),
    noun: str = "finding",
) -> str:
    """``head``, then the table of ``rows`` and the ``sections``' items, shorter than ``limit`` characters.

    When everything does not fit, rows come first (they are what a reviewer needs), then each section's
    items while room is left, and a closing note (for which room is kept) counts what was left out.
    """
    full = _assemble(head, rows, sections, table_head, noun, budget=None)
    if len(full) < limit:
        return full
    return _assemble(head, rows, sections, table_head, noun, budget=limit - _NOTE_ROOM, limit=limit)


#: Room kept for the truncation note: its wording and three counts at their largest.
_NOTE_ROOM = 400


def _assemble(
    head: list[str],
    rows: list[str],
    sections: list[tuple[str, list[str]]],
    table_head: tuple[str, str],
    noun: str,
    *,
    budget: int | None,
    limit: int = LIMIT,
) -> str:
    out: list[str] = []
    used = 0

    def add(line: str) -> bool:
        nonlocal used
        if budget is not None and used + len(line) + 1 > budget:
            return False
        out.append(line)
        used += len(line) + 1
        return True

    for line in head:
        add(line)
    shown_rows = 0
    if not rows:
        add("")
        add(f"No {noun}s.")
    elif (
        add("") and add(f"### {noun.capitalize()}s") and add("") and add(table_head[0]) and add(table_head[1])
    ):
        for row in rows:
            if not add(row):
                break
            shown_rows += 1
    left: list[str] = []
    if shown_rows < len(rows):
        left.append(f"{len(rows) - shown_rows:,} of {len(rows):,} {noun}s")
    for title, items in sections:
        if not items:
            continue
        shown = 0
        # a heading only with its first item: an empty section would read as "none"
        heading = ["", f"### {title}", ""]
        if budget is None or used + sum(len(x) + 1 for x in [*heading, items[0]]) <= budget:
            for line in heading:
                add(line)
            for item in items:
                if not add(item):
                    break
                shown += 1
        if shown < len(items):
            left.append(f"{len(items) - shown:,} of {len(items):,} {title.lower()}")
    if left:
        out.append("")
        out.append(
            f"> **Truncated:** {', '.join(left)} not shown (a comment must stay under {limit:,} characters);"
            " `-f json` or `-f html` writes the complete report."
        )
    return "\n".join(out) + "\n"


def render_compliance(
    assessments: Sequence[FrameworkAssessment], report: ScanReport, *, limit: int = LIMIT
) -> str:
    """``kubeguard compliance -f markdown``: each framework's score and control counts, then the failed
    controls (framework order) with their findings, what a person must check, and the input errors
    and warnings of the scan (a score judged on part of the input must say so); under ``limit``."""
    head = ["## kubeguard compliance", "", "| Framework | Score | " + " | ".join(_STATUS_HEADS) + " |"]
    head.append("|---|---:|" + "---:|" * len(_STATUS_HEADS))
    for a in assessments:
        fw = a.framework
        counts = a.counts()
        score = "n/a" if a.score is None else f"{a.score:g}%"
        name = f"{escape(fw.title)} {escape(fw.version or '')} ({_code(fw.id)})"
        head.append(f"| {name} | {score} | " + " | ".join(str(counts[s]) for s in _STATUS_HEADS) + " |")
    rows = []
    manual = []
    problems, warnings = problem_sections(report)
    for a in assessments:
        for c in a.controls:
            if c.status.value == "fail":
                active = c.active_findings
                # one place once: overlays of one base report the same file and line per overlay
                places = list(dict.fromkeys(_location(f) for f in active))
                where = ", ".join(places[:3]) + (f" and {len(places) - 3} more" if len(places) > 3 else "")
                rules = " ".join(sorted({_code(f.rule.code) for f in active}))
                rows.append(
                    f"| {_code(a.framework.id)} | {_code(c.id)} | {escape(c.title)} | {len(active)} | {rules} | {where} |"
                )
            elif c.status.value == "manual" and c.detail:
                manual.append(
                    f"- {_code(a.framework.id)} {_code(c.id)} {escape(c.title)}: {escape(c.detail)}"
                )
    return fit(
        head,
        rows,
        [problems, ("Manual checks", manual), warnings],
        limit=limit,
        table_head=(
            "| Framework | Control | Title | Findings | Rules | Where |",
            "|---|---|---|---:|---|---|",
        ),
        noun="failed control",
    )


_STATUS_HEADS = ("pass", "fail", "not-assessed", "manual", "not-covered")
