"""Secrets readable cluster-wide.

## What it does
Flags every subject of a ClusterRoleBinding whose role allows `get`, `list` or `watch` on `secrets`
(directly or through `*`), for any secret name. Roles limited by `resourceNames` are not flagged.
The finding sits on the binding's subject and names the subject, the binding, the role and the rule.

## Why it matters
Secrets hold credentials: service account tokens, database passwords, TLS keys. Reading them in
every namespace is close to owning every workload of the cluster, and `list` returns the values too.

## Example
```yaml
kind: ClusterRoleBinding
roleRef: {kind: ClusterRole, name: secret-reader}   # rules: [{resources: [secrets], verbs: [get, list]}]
subjects: [{kind: User, name: alice}]
```

## Fix
Grant secret access per namespace with a RoleBinding, limit it with `resourceNames`, or let the
workload mount the secret instead of reading it through the API.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/
- CIS Kubernetes Benchmark 5.1.2
"""

from __future__ import annotations

from kubeguard.analyzers.rbac.risky import SECRETS_READ
from kubeguard.checks.rbac._common import BINDINGS, permission_check
from kubeguard.rules.rule import Rule, Severity

RULE = Rule(
    code="RBAC002",
    slug="cluster-wide-secret-access",
    title="Secrets readable cluster-wide",
    severity=Severity.HIGH,
    needs=("roles and their bindings (the RBAC graph)",),
    applies_to=BINDINGS,
    check=permission_check(SECRETS_READ, where="cluster", what="read secrets"),
    remediation="Replace the ClusterRoleBinding with RoleBindings in the namespaces that need it, and limit the rule with resourceNames.",
    references=("https://kubernetes.io/docs/concepts/security/rbac-good-practices/",),
    compliance={"cis-1.12": ("5.1.2",)},
)
