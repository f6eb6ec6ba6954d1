"""The audit policy omits stages that carry the outcome of requests.

## What it does
Flags `omitStages` (at the top of an audit Policy, or on a rule that logs something) that name
`ResponseComplete` or `Panic`, or a stage that does not exist.

## Why it matters
Omitting `RequestReceived` is common and fine: the same request is logged again when it
completes. Omitting `ResponseComplete` drops the status of most requests (whether they succeeded),
and omitting `Panic` hides requests that crashed the handler. An unknown stage name is a typo that
omits nothing you meant to.

## Example
```yaml
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived, ResponseComplete]   # flagged
rules:
  - level: Metadata
```

## Fix
Omit only `RequestReceived` (and, for long-running requests, `ResponseStarted`).

## References
- https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
- CIS Kubernetes Benchmark v1.12: 3.2.2
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubeguard.analyzers.controlplane.audit import STAGES, Policy
from kubeguard.checks.controlplane._scopes import AUDIT_POLICY_SCOPE
from kubeguard.model.pointer import Pointer
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation

ESSENTIAL = {"ResponseComplete": "the outcome of requests", "Panic": "requests that crashed the handler"}


def _stages(value: Any, at: Pointer, where: str) -> Iterator[Violation]:
    if not isinstance(value, list):
        return
    for i, stage in enumerate(value):
        if not isinstance(stage, str):
            yield Violation(f"{where} names a stage that is not a string: {stage!r}", at=at / i)
        elif stage in ESSENTIAL:
            yield Violation(f"{where} omits {stage}: the log loses {ESSENTIAL[stage]}", at=at / i)
        elif stage not in STAGES:
            yield Violation(f"{where} names unknown stage {stage!r} (stages: {', '.join(STAGES)})", at=at / i)


def check(policy: Policy, ctx: ScanContext) -> Iterator[Violation]:
    yield from _stages(policy.raw.get("omitStages"), Pointer(("omitStages",)), "the policy")
    for rule in policy.rules:
        if rule.level != "None":
            yield from _stages(rule.raw.get("omitStages"), rule.at / "omitStages", f"rule #{rule.index + 1}")


RULE = Rule(
    code="CP104",
    slug="audit-omit-stages",
    title="Audit policy omits stages that carry request outcomes",
    severity=Severity.LOW,
    applies_to=AUDIT_POLICY_SCOPE,
    check=check,
    remediation="Omit only RequestReceived (and ResponseStarted if needed).",
    references=("https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/",),
    compliance={"cis-1.12": ("3.2.2",)},
)
