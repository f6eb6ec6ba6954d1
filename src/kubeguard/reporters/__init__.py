"""Reporters turn a ScanReport into text. Each sees only the report, never the engine."""

from __future__ import annotations

from collections.abc import Callable

from kubeguard.findings.report import ScanReport

FORMATS = ("table", "json", "sarif", "junit")


def render(report: ScanReport, fmt: str, *, color: bool = False, width: int | None = None) -> str:
    """The report in ``fmt`` (one of :data:`FORMATS`)."""
    renderers: dict[str, Callable[[ScanReport], str]]
    from kubeguard.reporters import json_report, junit, sarif, table

    renderers = {
        "json": json_report.render,
        "sarif": sarif.render,
        "junit": junit.render,
    }
    if fmt == "table":
        return table.render(report, color=color, width=width)
    try:
        return renderers[fmt](report)
    except KeyError:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})") from None
