"""Subject can patch namespaces or nodes.

## What it does
Flags every subject that a binding allows `patch` or `update` on `namespaces` or `nodes`. A RoleBinding
in namespace N grants this on namespace N itself (the API server gives a namespace request its
own name as namespace); nodes need a ClusterRoleBinding.
The finding sits on the binding's subject and names the subject, the binding, the role and the rule.

## Why it matters
Namespace labels choose the Pod Security level (`pod-security.kubernetes.io/enforce`): patching
them switches enforcement off. Node labels and taints steer workloads onto a chosen node.

## Example
```yaml
kind: RoleBinding
metadata: {namespace: team-a}
roleRef: {kind: ClusterRole, name: ns-editor}   # rules: [{resources: [namespaces], verbs: [patch]}]
```

## Fix
Manage namespace and node metadata from cluster administration tooling only.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/
"""

from __future__ import annotations

from kubeguard.analyzers.rbac.risky import NAMESPACE_NODE_PATCH
from kubeguard.checks.rbac._common import BINDINGS, permission_check
from kubeguard.rules.rule import Rule, Severity

RULE = Rule(
    code="RBAC012",
    slug="patch-namespaces-or-nodes",
    title="Subject can patch namespaces or nodes",
    severity=Severity.MEDIUM,
    needs=("roles and their bindings (the RBAC graph)",),
    applies_to=BINDINGS,
    check=permission_check(NAMESPACE_NODE_PATCH, where="any", what="patch namespaces or nodes"),
    remediation="Remove patch and update on namespaces and nodes.",
    references=("https://kubernetes.io/docs/concepts/security/rbac-good-practices/",),
)
