"""cluster-admin (or an equivalent role) bound to a non-system subject.

## What it does
Flags every subject of a ClusterRoleBinding whose role allows `*` verbs on `*` resources of `*` API
groups (the built-in `cluster-admin`, or any role with such a rule, aggregated rules included),
unless the subject is one of Kubernetes' own (`system:` users and groups).

## Why it matters
Such a subject can do anything in the cluster, and nothing limits the damage when its credentials
leak. Administrators rarely need it day to day.

## Example
```yaml
kind: ClusterRoleBinding
roleRef: {kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: ci, namespace: build}]
```

## Fix
Bind narrower roles (`admin` or `edit` in a namespace) and keep cluster-admin for break-glass
accounts, granted on demand.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
- CIS Kubernetes Benchmark 5.1.1
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.rbac._common import BINDINGS, binding_of
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    found = binding_of(resource, ctx)
    if found is None:
        return
    graph, binding = found
    role = graph.role_of(binding)
    if role is None or not binding.cluster_wide:
        return
    rr = next((r for r in graph.rules_of(role) if r.rule.is_full_wildcard), None)
    if rr is None:
        return
    equivalent = "" if role.name == "cluster-admin" else f" (equivalent: rule {rr.index}: {rr.rule})"
    for subject, ptr in binding.subjects:
        if subject.matchable and not subject.is_system:
            yield Violation(
                f"{subject} holds cluster-admin power via {binding} -> {role}{equivalent}", at=ptr
            )


RULE = Rule(
    code="RBAC013",
    slug="cluster-admin-binding",
    title="cluster-admin or an equivalent role bound to a non-system subject",
    severity=Severity.CRITICAL,
    needs=("roles and their bindings (the RBAC graph)",),
    applies_to=BINDINGS,
    check=check,
    remediation="Bind a narrower role, in the namespaces needed; keep cluster-admin for break-glass access.",
    references=("https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles",),
    compliance={"cis-1.12": ("5.1.1",)},
)
