"""Binding to anonymous, unauthenticated or all authenticated users.

## What it does
Flags every subject `system:anonymous` (user), `system:unauthenticated` or `system:authenticated`
(groups) in a RoleBinding or ClusterRoleBinding of the input. Kubernetes' own default bindings
(discovery, basic-user, public-info-viewer) are not in the input and are not flagged.

## Why it matters
`system:unauthenticated` and `system:anonymous` are anyone who reaches the API server.
`system:authenticated` is every identity the cluster trusts: every service account of every
namespace, and with some cloud providers every account of the provider.

## Example
```yaml
kind: ClusterRoleBinding
roleRef: {kind: ClusterRole, name: view}
subjects: [{kind: Group, name: system:authenticated}]
```

## Fix
Bind the role to the users, groups or service accounts that need it.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.rbac._common import BINDINGS, binding_of
from kubeguard.model.rbac import ANONYMOUS, AUTHENTICATED, UNAUTHENTICATED
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation

PUBLIC = {("User", ANONYMOUS), ("Group", UNAUTHENTICATED), ("Group", AUTHENTICATED)}


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    found = binding_of(resource, ctx)
    if found is None:
        return
    graph, binding = found
    role = graph.role_of(binding)
    where = "cluster-wide" if binding.cluster_wide else f"in namespace {binding.namespace}"
    role_text = str(role) if role is not None else f"{binding.role_label} (missing)"
    for subject, ptr in binding.subjects:
        if (subject.kind, subject.name) in PUBLIC:
            who = "every authenticated identity" if subject.name == AUTHENTICATED else "anonymous requests"
            yield Violation(f"{subject} ({who}) is granted {role_text} {where} via {binding}", at=ptr)


RULE = Rule(
    code="RBAC014",
    slug="public-subject-binding",
    title="Role bound to anonymous, unauthenticated or all authenticated users",
    severity=Severity.HIGH,
    applies_to=BINDINGS,
    check=check,
    remediation="Bind the role to specific users, groups or service accounts instead of system-wide groups.",
    references=(
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings",
    ),
)
