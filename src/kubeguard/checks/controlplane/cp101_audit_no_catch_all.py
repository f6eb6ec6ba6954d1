"""The audit policy has no catch-all last rule.

## What it does
Flags an audit Policy whose last rule sets conditions (users, groups, verbs, resources,
namespaces or URLs), whose catch-all last rule has level `None`, or which has rules after a
catch-all rule (they are never reached).

## Why it matters
Requests that no rule matches are not logged. Without a catch-all, every resource added later
(new API groups, custom resources) is invisible in the audit log.

## Example
```yaml
rules:
  - level: Metadata
    resources: [{group: "", resources: [secrets]}]
  - level: RequestResponse
    resources: [{group: "", resources: [pods]}]   # last rule has conditions: flagged
```

## Fix
End the policy with `- level: Metadata` (no conditions).

## References
- https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
- CIS Kubernetes Benchmark v1.12: 3.2.2
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.controlplane.audit import Policy
from kubeguard.checks.controlplane._scopes import AUDIT_POLICY_SCOPE
from kubeguard.model.pointer import Pointer
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation


def check(policy: Policy, ctx: ScanContext) -> Iterator[Violation]:
    if not policy.rules:
        yield Violation("the policy has no rules, so nothing is logged", at=Pointer(("rules",)))
        return
    for rule in policy.rules[:-1]:
        if rule.is_catch_all:
            yield Violation(
                f"rule #{rule.index + 1} matches every request; the {len(policy.rules) - rule.index - 1} rule(s) "
                "after it are never reached",
                at=rule.at,
            )
            return
    last = policy.rules[-1]
    if not last.is_catch_all:
        yield Violation(
            f"the last rule (#{last.index + 1}) sets conditions; requests no rule matches are not logged",
            at=last.at,
        )
    elif last.level == "None":
        yield Violation(
            "the catch-all last rule has level None; requests not named earlier are not logged",
            at=last.at / "level",
        )


RULE = Rule(
    code="CP101",
    slug="audit-no-catch-all",
    title="Audit policy has no catch-all last rule",
    severity=Severity.MEDIUM,
    applies_to=AUDIT_POLICY_SCOPE,
    check=check,
    remediation="End the policy with a rule without conditions at level Metadata.",
    references=("https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/",),
    compliance={"cis-1.12": ("3.2.2",)},
)
