"""Subject can change admission webhook configurations.

## What it does
Flags every subject that a ClusterRoleBinding allows to create, update, patch or delete
`validatingwebhookconfigurations` or `mutatingwebhookconfigurations`.
The finding sits on the binding's subject and names the subject, the binding, the role and the rule.

## Why it matters
A webhook sees every object it is registered for, secrets included; a mutating webhook rewrites
them (adding a privileged container to every pod), and deleting one removes a policy guard.

## Example
```yaml
rules:
  - {apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [create, patch]}
```

## Fix
Keep webhook configuration changes for the operators that own them, limited by `resourceNames`.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/
- CIS Kubernetes Benchmark 5.1.12
"""

from __future__ import annotations

from kubeguard.analyzers.rbac.risky import WEBHOOK_CHANGE
from kubeguard.checks.rbac._common import BINDINGS, permission_check
from kubeguard.rules.rule import Rule, Severity

RULE = Rule(
    code="RBAC010",
    slug="webhook-configuration-changes",
    title="Subject can change admission webhook configurations",
    severity=Severity.HIGH,
    needs=("roles and their bindings (the RBAC graph)",),
    applies_to=BINDINGS,
    check=permission_check(WEBHOOK_CHANGE, where="any", what="change admission webhook configurations"),
    remediation="Remove write access to webhook configurations or restrict it with resourceNames.",
    references=("https://kubernetes.io/docs/concepts/security/rbac-good-practices/",),
    compliance={"cis-1.12": ("5.1.12",)},
)
