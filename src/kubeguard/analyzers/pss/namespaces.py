"""Pod Security Admission namespace labels, read as the admission controller reads them, and the
admission outcome (rejected, audited, warned) of a workload in a labelled namespace.

A namespace opts into enforcement with ``pod-security.kubernetes.io/<mode>: <level>`` for the modes
``enforce``, ``audit`` and ``warn``, each with an optional ``<mode>-version`` label. A missing label
falls back to the admission defaults (``privileged:latest`` unless configured otherwise). An invalid
enforce level evaluates as ``restricted``; an invalid audit or warn level as ``privileged`` (fail
open); an invalid version as ``latest`` -- each with an error to report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kubeguard.analyzers.pss.checks import CheckResult
from kubeguard.analyzers.pss.policy import evaluate_template
from kubeguard.analyzers.pss.versions import (
    LATEST,
    NEWEST_POLICY_MINOR,
    PRIVILEGED,
    RESTRICTED,
    PolicyVersionError,
    parse_level,
    parse_version,
)
from kubeguard.model.workload import PodTemplate

LABEL_PREFIX = "pod-security.kubernetes.io/"
MODES = ("enforce", "audit", "warn")
#: Outcome word for a violation in each mode.
OUTCOMES = {"enforce": "rejected", "audit": "audited", "warn": "warned"}
#: Namespaces Kubernetes creates for itself; the namespace rule leaves them alone.
SYSTEM_NAMESPACES = frozenset({"kube-system", "kube-public", "kube-node-lease"})


@dataclass(frozen=True, slots=True)
class ModePolicy:
    """The level and version one mode evaluates, as written in the labels."""

    mode: str
    level: str
    version: str  # as written: ``latest`` or ``v1.N`` (``latest`` when invalid)
    minor: int
    labelled: bool


@dataclass(frozen=True, slots=True)
class NamespacePolicy:
    namespace: str
    modes: tuple[ModePolicy, ...]
    errors: tuple[str, ...] = ()

    @property
    def labelled(self) -> bool:
        return any(m.labelled for m in self.modes)


def namespace_policy(name: str, labels: dict[str, Any]) -> NamespacePolicy:
    """The policy of each mode from a namespace's labels (defaults: privileged, latest)."""
    modes = []
    errors = []
    for mode in MODES:
        key = LABEL_PREFIX + mode
        level, version, minor = PRIVILEGED, LATEST, NEWEST_POLICY_MINOR
        labelled = key in labels
        if labelled:
            raw = str(labels[key])
            try:
                level = parse_level(raw)
            except PolicyVersionError as exc:
                level = RESTRICTED if mode == "enforce" else PRIVILEGED
                errors.append(f"{key}: {exc}; evaluating as {level}")
        vkey = f"{key}-version"
        if vkey in labels:
            raw = str(labels[vkey])
            try:
                minor = parse_version(raw)
                version = raw
            except PolicyVersionError as exc:
                errors.append(f"{vkey}: {exc}; evaluating as latest")
        modes.append(ModePolicy(mode, level, version, minor, labelled))
    return NamespacePolicy(name, tuple(modes), tuple(errors))


@dataclass(slots=True)
class ModeOutcome:
    mode: str
    level: str
    version: str
    allowed: bool
    violations: list[CheckResult] = field(default_factory=list)


def admission_outcomes(policy: NamespacePolicy, pod: PodTemplate) -> list[ModeOutcome]:
    """Evaluate a pod template under each labelled mode of its namespace."""
    out = []
    for m in policy.modes:
        if not m.labelled:
            continue
        results = evaluate_template(pod, m.level, m.minor)
        out.append(ModeOutcome(m.mode, m.level, m.version, not results, results))
    return out


def outcome_words(outcomes: list[ModeOutcome]) -> list[str]:
    """``rejected``, ``audited``, ``warned`` for the modes whose policy the pod violates."""
    return [OUTCOMES[o.mode] for o in outcomes if not o.allowed]
