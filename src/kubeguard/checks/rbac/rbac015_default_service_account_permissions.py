"""Permissions granted to a `default` service account.

## What it does
Flags every binding subject that gives permissions to a namespace's `default` ServiceAccount: the
ServiceAccount `default` itself (namespace defaulted to the binding's), and the groups
`system:serviceaccounts` and `system:serviceaccounts:<namespace>`, which include it. A binding whose
role is missing or has no rules grants nothing and is left to RBAC016.

## Why it matters
Every pod that names no service account runs as `default`, and gets its token mounted unless told
otherwise: permissions given to `default` go to every such pod, including ones nobody reviewed.

## Example
```yaml
kind: RoleBinding
metadata: {namespace: shop}
roleRef: {kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: default}]
```

## Fix
Create a dedicated ServiceAccount for the workload that needs the permissions and bind it instead.

## References
- https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts
- CIS Kubernetes Benchmark 5.1.5
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.rbac._common import BINDINGS, binding_of
from kubeguard.model.rbac import ALL_SERVICE_ACCOUNTS, SA_GROUP_PREFIX
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    found = binding_of(resource, ctx)
    if found is None:
        return
    graph, binding = found
    role = graph.role_of(binding)
    if role is None or not graph.rules_of(role):
        return
    where = "cluster-wide" if binding.cluster_wide else f"in namespace {binding.namespace}"
    for subject, ptr in binding.subjects:
        if subject.kind == "ServiceAccount" and subject.name == "default" and subject.namespace:
            yield Violation(f"{subject} is granted {role} {where} via {binding}", at=ptr)
        elif subject.kind == "Group" and subject.name == ALL_SERVICE_ACCOUNTS:
            yield Violation(
                f"{subject} gives every service account, each namespace's default included, {role} {where} "
                f"via {binding}",
                at=ptr,
            )
        elif subject.kind == "Group" and subject.name.startswith(SA_GROUP_PREFIX):
            ns = subject.name[len(SA_GROUP_PREFIX) :]
            yield Violation(
                f"{subject} gives every service account of namespace {ns}, default included, {role} {where} "
                f"via {binding}",
                at=ptr,
            )


RULE = Rule(
    code="RBAC015",
    slug="default-service-account-permissions",
    title="Permissions granted to a default service account",
    severity=Severity.MEDIUM,
    needs=("the bound Role or ClusterRole (whether it grants anything)",),
    applies_to=BINDINGS,
    check=check,
    remediation="Bind a dedicated ServiceAccount instead of default (or the service-account groups).",
    references=("https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts",),
    compliance={"cis-1.12": ("5.1.5",)},
)
