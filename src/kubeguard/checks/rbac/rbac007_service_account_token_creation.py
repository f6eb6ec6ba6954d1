"""Subject can create service account tokens.

## What it does
Flags every subject that a binding allows `create` on `serviceaccounts/token` for any service account.
The finding sits on the binding's subject and names the subject, the binding, the role and the rule.

## Why it matters
A TokenRequest mints a token for a service account: the caller then acts as that account, for as
long as the token lives, even after their own access is removed.

## Example
```yaml
rules:
  - {apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}
```

## Fix
Remove the permission, or limit it with `resourceNames` to the accounts the caller may use.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/
- CIS Kubernetes Benchmark 5.1.13
"""

from __future__ import annotations

from kubeguard.analyzers.rbac.risky import SA_TOKEN_CREATE
from kubeguard.checks.rbac._common import BINDINGS, permission_check
from kubeguard.rules.rule import Rule, Severity

RULE = Rule(
    code="RBAC007",
    slug="service-account-token-creation",
    title="Subject can create service account tokens",
    severity=Severity.HIGH,
    needs=("roles and their bindings (the RBAC graph)",),
    applies_to=BINDINGS,
    check=permission_check(SA_TOKEN_CREATE, where="any", what="create service account tokens"),
    remediation="Remove create on serviceaccounts/token or limit it with resourceNames.",
    references=("https://kubernetes.io/docs/concepts/security/rbac-good-practices/",),
    compliance={"cis-1.12": ("5.1.13",)},
)
