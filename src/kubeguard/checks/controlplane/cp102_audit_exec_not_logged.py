"""The audit policy does not log exec, attach, port-forward or proxy.

## What it does
Evaluates an audit Policy (first matching rule wins) for every distinguishable request on
`pods/exec`, `pods/attach`, `pods/portforward`, `pods/proxy` and `services/proxy`, and flags each
subresource that some request reaches at level `None` (or that no rule matches).

## Why it matters
Exec, attach and port-forward are how people and attackers get a shell in or a tunnel into a
workload; the audit log is where that must be visible.

## Example
```yaml
rules:
  - level: None
    resources: [{group: "", resources: ["pods/*"]}]   # flagged: hides pods/exec
  - level: Metadata
```

## Fix
Log these subresources at `Metadata` or above, in a rule before any rule that drops them:
```yaml
  - level: Metadata
    resources: [{group: "", resources: [pods/exec, pods/attach, pods/portforward, pods/proxy, services/proxy]}]
```

## References
- https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
- CIS Kubernetes Benchmark v1.12: 3.2.2
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.controlplane.audit import Policy, outcomes, worst
from kubeguard.checks.controlplane._scopes import AUDIT_POLICY_SCOPE
from kubeguard.model.pointer import Pointer
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation

#: (resource, subresource, verbs)
MUST_LOG = (
    ("pods", "exec", ("create", "get")),
    ("pods", "attach", ("create", "get")),
    ("pods", "portforward", ("create", "get")),
    ("pods", "proxy", ("get", "create", "update", "patch", "delete")),
    ("services", "proxy", ("get", "create", "update", "patch", "delete")),
)


def check(policy: Policy, ctx: ScanContext) -> Iterator[Violation]:
    for name, sub, verbs in MUST_LOG:
        found = worst(outcomes(policy, verbs, "", name, sub), "unlogged")
        if found is None:
            continue
        req, rule = found
        if rule is None:
            yield Violation(
                f"{name}/{sub} is not logged: no rule matches {req.describe()}",
                at=Pointer(("rules",)),
                key=f"{name}/{sub}",
            )
        else:
            yield Violation(
                f"{name}/{sub} is not logged: rule #{rule.index + 1} (level None) decides {req.describe()}",
                at=rule.at / "level",
                key=f"{name}/{sub}",
            )


RULE = Rule(
    code="CP102",
    slug="audit-exec-not-logged",
    title="Audit policy does not log exec, attach, port-forward or proxy",
    severity=Severity.MEDIUM,
    applies_to=AUDIT_POLICY_SCOPE,
    check=check,
    remediation="Log pods/exec, pods/attach, pods/portforward and the proxy subresources at Metadata or above.",
    references=("https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/",),
    compliance={"cis-1.12": ("3.2.2",)},
)
