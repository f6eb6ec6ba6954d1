"""Subject can escalate, bind or impersonate.

## What it does
Flags every subject that a binding allows `escalate` or `bind` on roles or clusterroles, or
`impersonate` on users, groups, service accounts, uids or user extras.
The finding sits on the binding's subject and names the subject, the binding, the role and the rule.

## Why it matters
`escalate` lifts RBAC's own guard against granting more than one holds, `bind` grants any role
(cluster-admin included), and impersonation acts as any identity: each is a direct way up.

## Example
```yaml
rules:
  - {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}
```

## Fix
Remove these verbs, or limit them with `resourceNames` to the roles or identities really needed.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/
- CIS Kubernetes Benchmark 5.1.8
"""

from __future__ import annotations

from kubeguard.analyzers.rbac.risky import ESCALATE_BIND_IMPERSONATE
from kubeguard.checks.rbac._common import BINDINGS, permission_check
from kubeguard.rules.rule import Rule, Severity

RULE = Rule(
    code="RBAC006",
    slug="escalate-bind-impersonate",
    title="Subject can escalate, bind or impersonate",
    severity=Severity.HIGH,
    needs=("roles and their bindings (the RBAC graph)",),
    applies_to=BINDINGS,
    check=permission_check(ESCALATE_BIND_IMPERSONATE, where="any", what="escalate, bind or impersonate"),
    remediation="Remove escalate, bind and impersonate, or restrict them with resourceNames.",
    references=("https://kubernetes.io/docs/concepts/security/rbac-good-practices/",),
    compliance={"cis-1.12": ("5.1.8",)},
)
