"""Secrets readable in a namespace.

## What it does
Flags every subject of a RoleBinding whose role allows `get`, `list` or `watch` on `secrets` of the
binding's namespace (directly or through `*`), for any secret name.
The finding sits on the binding's subject and names the subject, the binding, the role and the rule.

## Why it matters
Anyone who reads the secrets of a namespace can use the credentials stored there, including
legacy service account token secrets: they act as every service account of the namespace.

## Example
```yaml
kind: RoleBinding
metadata: {namespace: prod}
roleRef: {kind: ClusterRole, name: edit}   # edit reads secrets
subjects: [{kind: Group, name: developers}]
```

## Fix
Limit the rule with `resourceNames` to the secrets really needed, or use `view` instead of `edit`.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/
- CIS Kubernetes Benchmark 5.1.2
"""

from __future__ import annotations

from kubeguard.analyzers.rbac.risky import SECRETS_READ
from kubeguard.checks.rbac._common import BINDINGS, permission_check
from kubeguard.rules.rule import Rule, Severity

RULE = Rule(
    code="RBAC003",
    slug="namespaced-secret-access",
    title="Secrets readable in a namespace",
    severity=Severity.MEDIUM,
    needs=("roles and their bindings (the RBAC graph)",),
    applies_to=BINDINGS,
    check=permission_check(SECRETS_READ, where="namespace", what="read secrets"),
    remediation="Restrict secret access with resourceNames, or bind a role without secret access.",
    references=("https://kubernetes.io/docs/concepts/security/rbac-good-practices/",),
    compliance={"cis-1.12": ("5.1.2",)},
)
