"""Subject can approve certificate signing requests.

## What it does
Flags every subject that a ClusterRoleBinding allows `update` or `patch` on
`certificatesigningrequests/approval`.
The finding sits on the binding's subject and names the subject, the binding, the role and the rule.

## Why it matters
With the `approve` permission on a signer, approving a CSR issues a client certificate for any
user and group, `system:masters` included: a credential that RBAC cannot revoke.

## Example
```yaml
rules:
  - {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}
```

## Fix
Leave approval to the controller manager and to a dedicated approver for node serving certificates.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/
- CIS Kubernetes Benchmark 5.1.11
"""

from __future__ import annotations

from kubeguard.analyzers.rbac.risky import CSR_APPROVE
from kubeguard.checks.rbac._common import BINDINGS, permission_check
from kubeguard.rules.rule import Rule, Severity

RULE = Rule(
    code="RBAC009",
    slug="csr-approval",
    title="Subject can approve certificate signing requests",
    severity=Severity.HIGH,
    needs=("roles and their bindings (the RBAC graph)",),
    applies_to=BINDINGS,
    check=permission_check(CSR_APPROVE, where="any", what="approve certificate signing requests"),
    remediation="Remove access to certificatesigningrequests/approval.",
    references=("https://kubernetes.io/docs/concepts/security/rbac-good-practices/",),
    compliance={"cis-1.12": ("5.1.11",)},
)
