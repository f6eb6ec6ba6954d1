"""The default human-readable output: findings grouped by object, with file:line and the fix."""

from __future__ import annotations

import io
from collections import defaultdict

from rich.console import Console
from rich.table import Table
from rich.text import Text

from kubeguard.findings.report import Finding, ScanReport
from kubeguard.model.resource import ObjectRef
from kubeguard.rules.rule import Severity

_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


def render(report: ScanReport, *, color: bool = False, width: int | None = None) -> str:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color, width=width or 120, soft_wrap=False)
    active = [f for f in report.findings if not f.suppressed]
    groups: dict[tuple[str, ObjectRef], list[Finding]] = defaultdict(list)
    for f in active:
        groups[(f.file, f.object)].append(f)
    for (file, obj), findings in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[1][0].line or 0)):
        console.print(Text.assemble((str(obj), "bold"), "  ", (file, "dim")))
        table = Table(show_header=False, box=None, pad_edge=False, padding=(0, 1), expand=False)
        table.add_column("Severity", no_wrap=True, min_width=8)
        table.add_column("Rule", no_wrap=True)
        table.add_column("Line", no_wrap=True, justify="right")
        table.add_column("Message", overflow="fold", ratio=1)
        for f in sorted(findings, key=lambda f: (-f.severity, f.line or 0, f.rule.code)):
            table.add_row(
                Text("  " + f.severity.label.upper(), style=_STYLE[f.severity]),
                f"{f.rule.code} {f.rule.slug}",
                f":{f.line}" if f.line is not None else "",
                f.message,
            )
        console.print(table)
        console.print()
    if report.errors or report.rule_errors:
        console.print(Text("Could not read:", style="bold red"))
        for e in report.errors:
            console.print(f"  {e}", markup=False, highlight=False)
        for re_ in report.rule_errors:
            console.print(
                f"  {re_.file}: rule {re_.rule} failed on {re_.object}: {re_.message}",
                markup=False,
                highlight=False,
            )
        console.print()
    for w in report.warnings:
        console.print(Text(f"warning: {w}", style="yellow"))
    s = report.summary()
    sev = ", ".join(f"{n} {k}" for k, n in reversed(s["bySeverity"].items()) if n)
    line = (
        f"{s['findings']} finding(s)"
        + (f" ({sev})" if sev else "")
        + f", {s['suppressed']} suppressed, {s['resources']} resource(s) in {s['files']} input(s), "
        + f"{s['rules']} rule(s)"
        + (f", {s['errors']} input error(s)" if s["errors"] else "")
    )
    console.print(Text(line, style="bold"))
    return buf.getvalue()
