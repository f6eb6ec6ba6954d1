"""Binding that names the `system:masters` group.

## What it does
Flags every subject `Group system:masters` in a RoleBinding or ClusterRoleBinding of the input.
Kubernetes' own `cluster-admin` ClusterRoleBinding is not in the input and is not flagged.

## Why it matters
Members of `system:masters` are authorized before RBAC is consulted: nothing can limit or revoke
them except rotating the cluster's CA. Naming the group in bindings suggests it is being used
for people or tools, which should hold revocable, RBAC-controlled credentials instead.

## Example
```yaml
kind: ClusterRoleBinding
roleRef: {kind: ClusterRole, name: view}
subjects: [{kind: Group, name: system:masters}]
```

## Fix
Do not issue credentials in `system:masters`; bind a dedicated group to the role needed.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege
- CIS Kubernetes Benchmark 5.1.7
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.rbac._common import BINDINGS, binding_of
from kubeguard.model.rbac import MASTERS
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    found = binding_of(resource, ctx)
    if found is None:
        return
    _graph, binding = found
    for subject, ptr in binding.subjects:
        if subject.kind == "Group" and subject.name == MASTERS:
            yield Violation(
                f"{binding} names Group {MASTERS} (-> {binding.role_label}); its members bypass RBAC entirely",
                at=ptr,
            )


RULE = Rule(
    code="RBAC018",
    slug="system-masters-binding",
    title="Binding names the system:masters group",
    severity=Severity.MEDIUM,
    applies_to=BINDINGS,
    check=check,
    remediation="Bind a dedicated group instead, and issue no credentials in system:masters.",
    references=("https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege",),
    compliance={"cis-1.12": ("5.1.7",)},
)
