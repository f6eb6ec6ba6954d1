"""``kubeguard audit`` for people: one alert a row (time, severity, rule, who, what, message), then
the records that could not be read and a summary line."""

from __future__ import annotations

from kubeguard.findings.audit import Alert, AuditReport
from kubeguard.reporters.layout import Column, Screen, Styled, block, clean, table
from kubeguard.rules.rule import Severity

_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
_LABEL = {s: Styled(s.label.upper(), style) for s, style in _STYLE.items()}

_COLUMNS = (
    Column("TIME"),
    Column("SEVERITY", min_width=8),
    Column("RULE"),
    Column("USER", wrap=True, min_width=12),
    Column("MESSAGE", wrap=True, min_width=32),
)


def _row(a: Alert) -> tuple[str, Styled, str, str, str]:
    return (
        a.event.time,
        _LABEL[a.rule.severity],
        f"{a.rule.code} {a.rule.slug}",
        a.event.user.username,
        a.message,
    )


def render(report: AuditReport, *, screen: Screen | None = None) -> str:
    screen = screen or Screen()
    lines: list[str] = []
    if report.alerts:
        lines.extend(table(_COLUMNS, [_row(a) for a in report.alerts], screen))
        lines.append("")
    if report.errors:
        lines.append(screen.style("Could not read:", "bold red"))
        for e in report.errors:
            lines.extend(screen.fit(clean(e), 2, 4))
        if report.summary.errors_dropped:
            lines.extend(screen.fit(f"... and {report.summary.errors_dropped} more", 2, 4))
        lines.append("")
    lines.extend(screen.style(line, "bold") for line in screen.fit(summary_line(report)))
    return block(lines)


def summary_line(report: AuditReport) -> str:
    s = report.summary
    alerts = sum(s.by_rule.values())
    sev = ", ".join(
        f"{s.by_severity[sv.label]} {sv.label}" for sv in reversed(Severity) if s.by_severity.get(sv.label)
    )
    return (
        f"{alerts} alert(s)"
        + (f" ({sev})" if sev else "")
        + f" from {s.events} event(s), {s.rules} rule(s)"
        + (f" ({s.rules_off} off until configured)" if s.rules_off else "")
        + (f", {s.records_with_errors} unreadable record(s)" if s.records_with_errors else "")
        + (f", {s.skipped} other record(s) skipped" if s.skipped else "")
    )
