"""Subject can create persistent volumes.

## What it does
Flags every subject that a ClusterRoleBinding allows `create` on `persistentvolumes`.
The finding sits on the binding's subject and names the subject, the binding, the role and the rule.

## Why it matters
A PersistentVolume can point at a `hostPath`: bound by a claim, it mounts the node's filesystem
into a pod, bypassing Pod Security's hostPath checks.

## Example
```yaml
rules:
  - {apiGroups: [""], resources: [persistentvolumes], verbs: [create]}
```

## Fix
Let a storage class provisioner create volumes; give users `persistentvolumeclaims` instead.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/
- CIS Kubernetes Benchmark 5.1.9
"""

from __future__ import annotations

from kubeguard.analyzers.rbac.risky import PV_CREATE
from kubeguard.checks.rbac._common import BINDINGS, permission_check
from kubeguard.rules.rule import Rule, Severity

RULE = Rule(
    code="RBAC011",
    slug="create-persistent-volumes",
    title="Subject can create persistent volumes",
    severity=Severity.MEDIUM,
    needs=("roles and their bindings (the RBAC graph)",),
    applies_to=BINDINGS,
    check=permission_check(PV_CREATE, where="any", what="create persistent volumes"),
    remediation="Remove create on persistentvolumes; users should create PersistentVolumeClaims.",
    references=("https://kubernetes.io/docs/concepts/security/rbac-good-practices/",),
    compliance={"cis-1.12": ("5.1.9",)},
)
