"""``kubeguard pss`` for people: each workload's admission outcome, the controls it violates, and where.

Each violation shows its line; its JSON pointer is in ``--format json``.
"""

from __future__ import annotations

from kubeguard.analyzers.pss.admission import PssReport, WorkloadAssessment
from kubeguard.loading.locate import Locator
from kubeguard.model.pointer import Pointer
from kubeguard.reporters.layout import Column, Screen, block, clean, table

_VIOLATIONS = (Column("", right=True), Column(""), Column("", wrap=True, min_width=30))  # :line, id, message


def violation_line(locator: Locator, w: WorkloadAssessment, pointer: str | None = None) -> int | None:
    """The line of ``pointer`` in ``w``'s source (the object's own line without one)."""
    if pointer is None:
        return w.resource.source.line
    line, _ = locator.locate(w.resource.source, Pointer.parse(pointer))
    return line


def render(report: PssReport, locator: Locator, screen: Screen | None = None) -> str:
    screen = screen or Screen()
    lines: list[str] = []
    for w in report.workloads:
        r = w.resource
        status = screen.style("ALLOWED", "bold green") if w.allowed else screen.style("DENIED ", "bold red")
        where = f"{r.source.file}:{r.source.line}" if r.source.line else r.source.file
        ns = f"{r.effective_namespace}/" if r.effective_namespace else ""
        head = clean(f"{r.kind}/{ns}{r.name}  {where}")
        first, *rest = screen.fit(f"{'ALLOWED' if w.allowed else 'DENIED '}  {head}", 0, 9)
        lines.append(status + first[7:])
        lines.extend(rest)
        rows = []
        for v in w.violations:
            line = violation_line(locator, w, v.pointer)
            rows.append((f":{line}" if line else "", v.control, v.message))
        lines.extend(table(_VIOLATIONS, rows, screen, indent=4, header=False))
        for m in w.namespace_modes:
            word = screen.style(
                m.outcome, "bold " + ("green" if m.allowed else "yellow" if m.mode != "enforce" else "red")
            )
            lines.append(f"    namespace {clean(m.mode)}={clean(m.level)}:{clean(m.version)} -> {word}")
            if not m.allowed:
                lines.extend(
                    table(
                        _VIOLATIONS,
                        [("", v.control, v.message) for v in m.violations],
                        screen,
                        indent=8,
                        header=False,
                    )
                )
    allowed = sum(1 for w in report.workloads if w.allowed)
    rejected = sum(1 for w in report.workloads if w.rejected)
    summary = f"{allowed} of {len(report.workloads)} workload(s) allowed at {report.level}:{report.version}"
    if report.namespaces:
        summary += f"; {rejected} rejected by their namespace's enforce label"
    lines.append("")
    lines.extend(screen.fit(clean(summary)))
    for warning in report.warnings:
        lines.extend(screen.fit(clean(f"warning: {warning}")))
    return block(lines)
