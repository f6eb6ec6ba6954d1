"""Reporters turn a ScanReport into text. Each sees only the report, never the engine."""

from __future__ import annotations

from collections.abc import Callable

from kubeguard.findings.report import ScanReport
from kubeguard.reporters.layout import Screen

FORMATS = ("table", "json", "sarif", "junit")


def render(report: ScanReport, fmt: str, *, screen: Screen | None = None) -> str:
    """The report in ``fmt`` (one of :data:`FORMATS`); ``screen`` (terminal width and colour, default plain
    lines) matters only to the table."""
    renderers: dict[str, Callable[[ScanReport], str]]
    from kubeguard.reporters import json_report, junit, sarif, table

    renderers = {
        "json": json_report.render,
        "sarif": sarif.render,
        "junit": junit.render,
    }
    if fmt == "table":
        return table.render(report, screen=screen)
    try:
        return renderers[fmt](report)
    except KeyError:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})") from None
