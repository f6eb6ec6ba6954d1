"""Binding to a role that does not exist.

## What it does
Flags a RoleBinding or ClusterRoleBinding whose `roleRef` names a Role or ClusterRole that is neither
in the input nor one of Kubernetes' default roles (its ClusterRoles, and the Roles it creates in
kube-system and kube-public such as `extension-apiserver-authentication-reader`), unless
`--no-builtin-rbac` says the input is a complete capture and built-ins are not assumed. A ClusterRoleBinding that refers to a Role, or
a `roleRef.kind` other than Role/ClusterRole, is flagged too: it can never grant anything.

## Why it matters
A dangling binding grants nothing today, but whoever later creates a role of that name (a namespace
admin can create a Role) silently gives its permissions to the binding's subjects. It is also
usually a typo that leaves an application without the access it was meant to have.

## Example
```yaml
kind: RoleBinding
roleRef: {kind: Role, name: pod-reeder}   # typo: the Role is pod-reader
subjects: [{kind: ServiceAccount, name: app}]
```

## Fix
Fix the name, create the role in the binding's namespace, or delete the binding.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.rbac._common import BINDINGS, binding_of
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    found = binding_of(resource, ctx)
    if found is None:
        return
    graph, binding = found
    if graph.role_of(binding) is not None:
        return
    subjects = ", ".join(str(s) for s, _ in binding.subjects) or "no subjects"
    if binding.role_kind not in ("Role", "ClusterRole"):
        yield Violation(
            f"{binding} refers to roleRef.kind {binding.role_kind!r}, which is neither Role nor ClusterRole "
            f"(subjects: {subjects})",
            at=Pointer(("roleRef", "kind")),
        )
        return
    if binding.role_kind == "Role" and binding.cluster_wide:
        yield Violation(
            f"{binding} refers to Role {binding.role_name}: a ClusterRoleBinding can only refer to a "
            f"ClusterRole (subjects: {subjects})",
            at=Pointer(("roleRef", "kind")),
        )
        return
    hint = (
        ""
        if ctx.options.builtin_rbac or binding.role_kind == "Role"
        else (" (built-in roles are not assumed: --no-builtin-rbac)")
    )
    yield Violation(
        f"{binding} refers to {binding.role_label}, which does not exist{hint}; it grants nothing to {subjects} "
        "until someone creates it",
        at=Pointer(("roleRef", "name")),
    )


RULE = Rule(
    code="RBAC016",
    slug="binding-to-missing-role",
    title="Binding refers to a role that does not exist",
    severity=Severity.LOW,
    needs=("roles and their bindings (the RBAC graph)",),
    applies_to=BINDINGS,
    check=check,
    remediation="Fix roleRef to name an existing role, create the role, or delete the binding.",
    references=(
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding",
    ),
)
