"""What the store gives back: a stored scan, a diff between two scans, a point of a trend."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ScanRecord:
    """One stored scan: when, of what, with which options, how long it took, and its summary."""

    id: int
    time: str  # ISO 8601, UTC, e.g. 2026-12-03T13:20:00.123456Z
    command: str
    source: dict[str, Any]
    options: dict[str, Any]
    timing: dict[str, Any]
    summary: dict[str, Any]
    scores: dict[str, Any]
    tool_version: str

    @property
    def source_key(self) -> str:
        return str(self.source.get("key", ""))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": self.time,
            "command": self.command,
            "source": self.source,
            "options": self.options,
            "timing": self.timing,
            "summary": self.summary,
            "scores": self.scores,
            "toolVersion": self.tool_version,
        }


@dataclass(frozen=True, slots=True)
class Diff:
    """Findings of scan ``b`` not in scan ``a`` (new), of ``a`` not in ``b`` (fixed), and how many
    both have (unchanged), matched by fingerprint; suppressed findings are left out on both sides."""

    a: int
    b: int
    new: list[dict[str, Any]] = field(default_factory=list)
    fixed: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"new": self.new, "fixed": self.fixed, "unchanged": self.unchanged}


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One scan of a source in a trend: its findings by severity and its framework scores."""

    scan: int
    time: str
    findings: int
    by_severity: dict[str, int]
    scores: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "scan": self.scan,
            "time": self.time,
            "findings": self.findings,
            "bySeverity": self.by_severity,
            "scores": self.scores,
        }
