"""Subject can create pods or pod controllers.

## What it does
Flags every subject that a binding allows to create pods, or any controller that creates pods
(Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers).
The finding sits on the binding's subject and names the subject, the binding, the role and the rule.

## Why it matters
Whoever creates a pod chooses its service account and its volumes: they can run as every service
account of the namespace and mount every secret there, and, without a restrictive Pod Security
level, escape to the node.

## Example
```yaml
kind: RoleBinding
roleRef: {kind: Role, name: deployer}   # rules: [{apiGroups: [apps], resources: [deployments], verbs: [create]}]
subjects: [{kind: ServiceAccount, name: ci}]
```

## Fix
Give pod creation only to deployment tooling, in the namespaces it deploys to, and enforce the
`restricted` Pod Security level there.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/
- CIS Kubernetes Benchmark 5.1.4
"""

from __future__ import annotations

from kubeguard.analyzers.rbac.risky import POD_CREATE
from kubeguard.checks.rbac._common import BINDINGS, permission_check
from kubeguard.rules.rule import Rule, Severity

RULE = Rule(
    code="RBAC004",
    slug="create-pods",
    title="Subject can create pods or pod controllers",
    severity=Severity.MEDIUM,
    needs=("roles and their bindings (the RBAC graph)",),
    applies_to=BINDINGS,
    check=permission_check(POD_CREATE, where="any", what="create pods or pod controllers"),
    remediation="Remove create on pods and pod controllers from roles that do not deploy workloads.",
    references=("https://kubernetes.io/docs/concepts/security/rbac-good-practices/",),
    compliance={"cis-1.12": ("5.1.4",)},
)
