"""Pod Security Standards exactly as Pod Security Admission enforces them, at every policy version.

- :mod:`.versions`: levels and versions (``latest``, ``v1.N``), parsed and clamped as admission does.
- :mod:`.pod`: the checks read the model's one pod view (:class:`~kubeguard.model.workload.PodTemplate`).
- :mod:`.checks`: one function per check revision, with admission's wording.
- :mod:`.policy`: which revision runs at each level and version (overrides included); evaluation.
- :mod:`.controls`: the kubeguard rule codes for each control.
- :mod:`.namespaces`: ``pod-security.kubernetes.io/*`` namespace labels and admission outcomes.
"""

from __future__ import annotations

from kubeguard.analyzers.pss.checks import CheckResult, Offence
from kubeguard.analyzers.pss.policy import CHECKS, CHECKS_BY_ID, evaluate, evaluate_pod, resolve, run_check
from kubeguard.analyzers.pss.versions import (
    BASELINE,
    LATEST,
    LEVELS,
    NEWEST_POLICY_MINOR,
    PRIVILEGED,
    RESTRICTED,
    PolicyVersionError,
    parse_level,
    parse_version,
)

__all__ = [
    "BASELINE",
    "CHECKS",
    "CHECKS_BY_ID",
    "LATEST",
    "LEVELS",
    "NEWEST_POLICY_MINOR",
    "PRIVILEGED",
    "RESTRICTED",
    "CheckResult",
    "Offence",
    "PolicyVersionError",
    "evaluate",
    "evaluate_pod",
    "parse_level",
    "parse_version",
    "resolve",
    "run_check",
]
