"""Inline SVG trend charts: findings by severity over a source's scans, drawn on the server."""

from __future__ import annotations

from dataclasses import dataclass

from kubeguard.store import TrendPoint

#: What each severity is drawn in (also the legend's colours in the stylesheet).
COLOURS = {"critical": "#8b0000", "high": "#d9480f", "medium": "#e8a500", "low": "#1c7ed6"}


@dataclass(frozen=True)
class Line:
    severity: str
    colour: str
    points: str  # the polyline's "x,y x,y ..."

    @property
    def last(self) -> tuple[str, str]:
        """The newest point, marked with a dot (a single scan draws no line)."""
        x, _, y = self.points.rsplit(" ", 1)[-1].partition(",")
        return x, y


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    top: int  # the largest count drawn (the y axis' top label)
    lines: tuple[Line, ...]
    total: str  # the polyline of all findings
    title: str


def trend_chart(points: list[TrendPoint], width: int = 320, height: int = 80) -> Chart:
    """A chart of the findings of ``points`` (oldest first) by severity, and in all."""
    pad = 4
    top = max([p.findings for p in points] + [1])
    n = len(points)

    def xy(i: int, value: int) -> str:
        x = pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5)
        y = height - pad - (height - 2 * pad) * value / top
        return f"{x:.1f},{y:.1f}"

    lines = tuple(
        Line(sev, colour, " ".join(xy(i, p.by_severity.get(sev, 0)) for i, p in enumerate(points)))
        for sev, colour in COLOURS.items()
    )
    total = " ".join(xy(i, p.findings) for i, p in enumerate(points))
    first, last = (points[0], points[-1]) if points else (None, None)
    title = (
        f"{n} scans, {first.time[:10]} to {last.time[:10]}: {first.findings} to {last.findings} findings"
        if first and last
        else "no scans"
    )
    return Chart(width, height, top, lines, total, title)
