"""The audit policy does not log RBAC changes.

## What it does
Evaluates an audit Policy (first matching rule wins) for every distinguishable create, update,
patch, delete and deletecollection request on Roles, RoleBindings, ClusterRoles and
ClusterRoleBindings, and flags each resource that some such request reaches at level `None`.

## Why it matters
Granting permissions is the usual step from a foothold to cluster-admin; every change to RBAC must
leave a trace.

## Example
```yaml
rules:
  - level: None
    resources: [{group: rbac.authorization.k8s.io}]   # flagged
  - level: Metadata
```

## Fix
Log RBAC changes at `Metadata` or above (`RequestResponse` shows what was granted), before any rule
that drops them.

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

RBAC = "rbac.authorization.k8s.io"
WRITE_VERBS = ("create", "update", "patch", "delete", "deletecollection")
RESOURCES = (("roles", True), ("rolebindings", True), ("clusterroles", False), ("clusterrolebindings", False))


def check(policy: Policy, ctx: ScanContext) -> Iterator[Violation]:
    for name, namespaced in RESOURCES:
        found = worst(outcomes(policy, WRITE_VERBS, RBAC, name, namespaced=namespaced), "unlogged")
        if found is None:
            continue
        req, rule = found
        if rule is None:
            yield Violation(
                f"changes to {name} are not logged: no rule matches {req.describe()}",
                at=Pointer(("rules",)),
                key=f"{RBAC}/{name}",
            )
        else:
            yield Violation(
                f"changes to {name} are not logged: rule #{rule.index + 1} (level None) decides {req.describe()}",
                at=rule.at / "level",
                key=f"{RBAC}/{name}",
            )


RULE = Rule(
    code="CP103",
    slug="audit-rbac-changes-not-logged",
    title="Audit policy does not log RBAC changes",
    severity=Severity.MEDIUM,
    applies_to=AUDIT_POLICY_SCOPE,
    check=check,
    remediation="Log writes to roles, rolebindings, clusterroles and clusterrolebindings at Metadata or above.",
    references=("https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/",),
    compliance={"cis-1.12": ("3.2.2",)},
)
