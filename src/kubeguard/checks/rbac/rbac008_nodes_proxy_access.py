"""Subject can reach the kubelet through nodes/proxy.

## What it does
Flags every subject that a ClusterRoleBinding allows `get` or `create` on `nodes/proxy` (a RoleBinding
cannot grant it: nodes are cluster-scoped).
The finding sits on the binding's subject and names the subject, the binding, the role and the rule.

## Why it matters
`nodes/proxy` reaches the kubelet API, which runs commands in any pod of the node; those calls
bypass admission control and are not in the API server's audit log.

## Example
```yaml
rules:
  - {apiGroups: [""], resources: [nodes/proxy], verbs: [get]}
```

## Fix
Use `nodes/metrics` or `nodes/stats` for monitoring; keep `nodes/proxy` for the API server itself.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/
- CIS Kubernetes Benchmark 5.1.10
"""

from __future__ import annotations

from kubeguard.analyzers.rbac.risky import NODES_PROXY
from kubeguard.checks.rbac._common import BINDINGS, permission_check
from kubeguard.rules.rule import Rule, Severity

RULE = Rule(
    code="RBAC008",
    slug="nodes-proxy-access",
    title="Subject can reach the kubelet through nodes/proxy",
    severity=Severity.HIGH,
    needs=("roles and their bindings (the RBAC graph)",),
    applies_to=BINDINGS,
    check=permission_check(NODES_PROXY, where="any", what="reach the kubelet API (nodes/proxy)"),
    remediation="Remove nodes/proxy from roles; monitoring needs nodes/metrics or nodes/stats.",
    references=("https://kubernetes.io/docs/concepts/security/rbac-good-practices/",),
    compliance={"cis-1.12": ("5.1.10",)},
)
