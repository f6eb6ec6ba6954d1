"""The default human-readable output: findings grouped by object, with file:line and the fix.

Laid out by :mod:`kubeguard.reporters.layout`: one column layout for the whole report (so that every
object's findings line up), sized to the terminal, or plain lines when the output is not a terminal.
"""

from __future__ import annotations

from collections import defaultdict

from kubeguard.findings.report import Finding, ScanReport
from kubeguard.model.resource import ObjectRef
from kubeguard.reporters.layout import Column, Prepared, Screen, Styled, block, clean, measure, prepare, table
from kubeguard.rules.rule import Severity

_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}

_COLUMNS = (
    Column("", min_width=8),  # severity
    Column("", right=True),  # :line
    Column(""),  # code and slug
    Column("", wrap=True, min_width=32),  # message
)


_LABEL = {s: Styled(s.label.upper(), style) for s, style in _STYLE.items()}


def _row(f: Finding) -> tuple[Styled, str, str, str]:
    return (
        _LABEL[f.severity],
        f":{f.line}" if f.line is not None else "",
        f"{f.rule.code} {f.rule.slug}",
        f.message,
    )


def render(report: ScanReport, *, screen: Screen | None = None) -> str:
    """The report for people, on ``screen`` (default: plain lines)."""
    screen = screen or Screen()
    groups: dict[tuple[str, ObjectRef], list[Finding]] = defaultdict(list)
    for f in report.findings:
        if not f.suppressed:
            groups[(f.file, f.object)].append(f)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0][0], kv[1][0].line or 0))
    rows = {
        key: prepare(_row(f) for f in sorted(fs, key=lambda f: (-f.severity, f.line or 0, f.rule.code)))
        for key, fs in ordered
    }
    widths = measure(_COLUMNS, Prepared(r for group in rows.values() for r in group), header=False)
    widths[0] = max(widths[0], 8)
    lines: list[str] = []
    for (file, obj), group in rows.items():
        head = screen.style(clean(obj), "bold") + "  " + screen.style(clean(file), "dim")
        if screen.width is not None and len(clean(obj)) + 2 + len(clean(file)) > screen.width:
            lines.append(screen.style(clean(obj), "bold"))
            lines.extend(screen.style(line, "dim") for line in screen.fit(clean(file), 2))
        else:
            lines.append(head)
        lines.extend(table(_COLUMNS, group, screen, indent=2, header=False, widths=widths))
        lines.append("")
    lines.extend(cluster_lines(report, screen))
    lines.extend(problem_lines(report, screen))
    lines.extend(warning_lines(report, screen))
    lines.extend(screen.style(line, "bold") for line in screen.fit(_summary(report)))
    return block(lines)


def problem_lines(report: ScanReport, screen: Screen) -> list[str]:
    """``Could not read:`` and each input error and rule error, then an empty line; nothing when none."""
    if not (report.errors or report.rule_errors):
        return []
    lines = [screen.style("Could not read:", "bold red")]
    for e in report.errors:
        lines.extend(screen.fit(clean(e), 2, 4))
    for re_ in report.rule_errors:
        text = f"{re_.file}: rule {re_.rule} failed on {re_.object}: {re_.message}"
        lines.extend(screen.fit(clean(text), 2, 4))
    lines.append("")
    return lines


def warning_lines(report: ScanReport, screen: Screen) -> list[str]:
    """Each warning of the report, ``warning: `` first."""
    return [
        screen.style(line, "yellow") for w in report.warnings for line in screen.fit(clean(f"warning: {w}"))
    ]


#: What only a live cluster gives, in the order docs/cluster.md lists it (JSON keys).
_AVAILABLE_ORDER = ("version", "namespaces", "rbac", "serviceAccounts", "nodes", "mirrorPods", "configz")
_AVAILABLE_COLUMNS = (Column(""), Column("", wrap=True, min_width=32))


def cluster_lines(report: ScanReport, screen: Screen) -> list[str]:
    """For a live cluster or a snapshot: which cluster was read, and what it gave that files do not
    (``options.cluster.available`` of the JSON report), then an empty line; nothing for files."""
    cluster = report.options.get("cluster")
    if not isinstance(cluster, dict):
        return []
    source = cluster.get("source")
    what = f"snapshot {source} of context" if source and source != "cluster" else "cluster context"
    facts = [str(v) for v in (cluster.get("server"), cluster.get("version")) if v]
    head = f"Read {what} {cluster.get('context')}" + (f" ({', '.join(facts)})" if facts else "")
    if cluster.get("collectedAt"):
        head += f" at {cluster['collectedAt']}"
    lines = [screen.style(line, "bold") for line in screen.fit(clean(head + ":"))]
    available = cluster.get("available")
    if isinstance(available, dict) and available:
        keys = [k for k in _AVAILABLE_ORDER if k in available]
        keys += sorted(k for k in available if k not in _AVAILABLE_ORDER)
        lines.extend(table(_AVAILABLE_COLUMNS, [(k, str(available[k])) for k in keys], screen, indent=2))
    lines.append("")
    return lines


def _summary(report: ScanReport) -> str:
    s = report.summary()
    sev = ", ".join(f"{n} {k}" for k, n in reversed(s["bySeverity"].items()) if n)
    return (
        f"{s['findings']} finding(s)"
        + (f" ({sev})" if sev else "")
        + f", {s['suppressed']} suppressed, {s['resources']} resource(s) in {s['files']} input(s), "
        + f"{s['rules']} rule(s)"
        + (f", {s['errors']} input error(s)" if s["errors"] else "")
    )
