"""Subject can delete events.

## What it does
Flags each subject of a RoleBinding or ClusterRoleBinding that may `delete` or `deletecollection`
events, in the core group or in `events.k8s.io` (the same objects), through the bound role or a
wildcard in it (`*` verbs, resources or API groups). A rule limited by `resourceNames` is not
counted. Kubernetes' own default bindings are skipped.

## Why it matters
Events record what happened in the cluster: failed logins to workloads, pods started and killed,
images pulled, probes failing. A subject that can delete them can erase the traces of its own
actions (MITRE ATT&CK T1070, indicator removal) before anyone reads them; the kubelet and the
controllers only ever need to create and update events, and people only to read them.

## Example
```yaml
kind: ClusterRole
metadata: {name: cleaner}
rules:
  - apiGroups: [""]
    resources: [events]
    verbs: [get, list, delete]     # flagged on each subject bound to it
```

## Fix
Drop `delete` and `deletecollection` on events (and wildcards that include them); events expire
on their own (`--event-ttl`, one hour by default).

## References
- https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/
- https://microsoft.github.io/Threat-Matrix-for-Kubernetes/techniques/Delete%20K8S%20events/
"""

from __future__ import annotations

from kubeguard.analyzers.rbac.risky import EVENTS_DELETE
from kubeguard.checks.rbac._common import BINDINGS, permission_check
from kubeguard.rules.rule import Rule, Severity

RULE = Rule(
    code="RBAC019",
    slug="delete-events",
    title="Subject can delete events",
    severity=Severity.MEDIUM,
    needs=("roles and their bindings (the RBAC graph)",),
    applies_to=BINDINGS,
    check=permission_check(EVENTS_DELETE, where="any", what="delete events"),
    remediation="Remove delete and deletecollection on events (core and events.k8s.io).",
    references=(
        "https://microsoft.github.io/Threat-Matrix-for-Kubernetes/techniques/Delete%20K8S%20events/",
    ),
    aliases=("kubescape:C-0031",),
)
