"""Subject can exec, attach or port-forward into pods.

## What it does
Flags every subject that a binding allows `create` (or `get`, used by websocket clients) on
`pods/exec`, `pods/attach` or `pods/portforward`, also through `*` or `*/exec`-style entries.
An entry `pods/*` is not flagged: the RBAC authorizer has no `resource/*` wildcard, so it grants
none of these.
The finding sits on the binding's subject and names the subject, the binding, the role and the rule.

## Why it matters
A shell in a container gives its service account token, its mounted secrets and its network
position; port-forwarding reaches services that network policies hide.

## Example
```yaml
rules:
  - {apiGroups: [""], resources: [pods/exec], verbs: [create]}
```

## Fix
Keep exec for break-glass roles; use logs, metrics and ephemeral debug containers under review.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/
"""

from __future__ import annotations

from kubeguard.analyzers.rbac.risky import POD_EXEC
from kubeguard.checks.rbac._common import BINDINGS, permission_check
from kubeguard.rules.rule import Rule, Severity

RULE = Rule(
    code="RBAC005",
    slug="pod-exec-attach-portforward",
    title="Subject can exec, attach or port-forward into pods",
    severity=Severity.MEDIUM,
    needs=("roles and their bindings (the RBAC graph)",),
    applies_to=BINDINGS,
    check=permission_check(POD_EXEC, where="any", what="exec, attach or port-forward into pods"),
    remediation="Remove pods/exec, pods/attach and pods/portforward from roles that do not need interactive access.",
    references=("https://kubernetes.io/docs/concepts/security/rbac-good-practices/",),
)
