"""Which workloads Pod Security Admission would admit: at a chosen level and version, and under the
labels of their namespace when the input holds it.

This is what ``kubeguard pss`` reports; it is pure (no I/O) so other commands and the library can
use it too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kubeguard.analyzers.pss.checks import CheckResult
from kubeguard.analyzers.pss.controls import CONTROL_BY_CHECK
from kubeguard.analyzers.pss.namespaces import (
    OUTCOMES,
    ModeOutcome,
    NamespacePolicy,
    admission_outcomes,
    namespace_policy,
)
from kubeguard.analyzers.pss.policy import evaluate_template
from kubeguard.analyzers.pss.versions import parse_level, parse_version
from kubeguard.model.resource import Resource


@dataclass(frozen=True, slots=True)
class PssViolation:
    """One failed control: kubeguard code, upstream check id, admission message, first field."""

    control: str
    check: str
    message: str
    pointer: str
    pointers: tuple[str, ...]

    @classmethod
    def of(cls, result: CheckResult) -> PssViolation:
        pointers = tuple(str(o.pointer) for o in result.offences)
        return cls(CONTROL_BY_CHECK[result.check].code, result.check, result.message, pointers[0], pointers)

    def to_dict(self) -> dict[str, Any]:
        return {
            "control": self.control,
            "check": self.check,
            "message": self.message,
            "pointer": self.pointer,
            "pointers": list(self.pointers),
        }


@dataclass(slots=True)
class ModeResult:
    """The outcome under one namespace mode (enforce, audit, warn)."""

    mode: str
    level: str
    version: str
    allowed: bool
    violations: list[PssViolation]

    @property
    def outcome(self) -> str:
        return "allowed" if self.allowed else OUTCOMES[self.mode]

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "level": self.level,
            "version": self.version,
            "allowed": self.allowed,
            "outcome": self.outcome,
            "violations": [v.to_dict() for v in self.violations],
        }


@dataclass(slots=True)
class WorkloadAssessment:
    resource: Resource
    allowed: bool
    violations: list[PssViolation]
    namespace_modes: list[ModeResult] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        """The namespace enforces a level this workload's pods violate."""
        return any(m.mode == "enforce" and not m.allowed for m in self.namespace_modes)

    @property
    def outcomes(self) -> list[str]:
        """Admission outcomes under the namespace labels: rejected, audited, warned."""
        return [m.outcome for m in self.namespace_modes if not m.allowed]

    def to_dict(self, line: int | None = None) -> dict[str, Any]:
        r = self.resource
        return {
            "file": r.source.file,
            "line": line if line is not None else r.source.line,
            "apiVersion": r.api_version,
            "kind": r.kind,
            "namespace": r.effective_namespace,
            "name": r.name,
            "allowed": self.allowed,
            "violations": [v.to_dict() for v in self.violations],
            "namespacePolicy": [m.to_dict() for m in self.namespace_modes] or None,
            "admission": self.outcomes or (["allowed"] if self.namespace_modes else []),
        }


@dataclass(slots=True)
class PssReport:
    level: str
    version: str
    workloads: list[WorkloadAssessment]
    namespaces: dict[str, NamespacePolicy]
    warnings: list[str] = field(default_factory=list)

    @property
    def all_allowed(self) -> bool:
        return all(w.allowed and not w.rejected for w in self.workloads)


def _mode_results(outcomes: list[ModeOutcome]) -> list[ModeResult]:
    return [
        ModeResult(o.mode, o.level, o.version, o.allowed, [PssViolation.of(r) for r in o.violations])
        for o in outcomes
    ]


def assess(resources: Iterable[Resource], level: str, version: str) -> PssReport:
    """Every workload at ``level``/``version``, and under its namespace's labels where known.

    Raises :class:`~kubeguard.analyzers.pss.versions.PolicyVersionError` for a bad level or version.
    """
    lv = parse_level(level)
    minor = parse_version(version)
    resources = list(resources)
    namespaces: dict[str, NamespacePolicy] = {}
    warnings: list[str] = []
    for r in resources:
        if r.kind == "Namespace" and r.api_version == "v1":
            policy = namespace_policy(r.name, r.labels)
            namespaces[r.name] = policy
            warnings.extend(f"namespace {r.name}: {e}" for e in policy.errors)
    out = []
    for r in resources:
        w = r.workload
        if w is None:
            continue
        results = evaluate_template(w, lv, minor)
        modes: list[ModeResult] = []
        ns = namespaces.get(r.effective_namespace or "")
        if ns is not None and ns.labelled:
            modes = _mode_results(admission_outcomes(ns, w))
        out.append(WorkloadAssessment(r, not results, [PssViolation.of(x) for x in results], modes))
    return PssReport(lv, version, out, namespaces, warnings)
