"""Subject can change the CoreDNS configuration.

## What it does
Flags each subject of a binding that may `update` or `patch` the ConfigMap CoreDNS reads its
configuration from: `coredns` in `kube-system` (kubeadm and most distributions) or
`coredns-custom` (imported by AKS and k3s). A ClusterRoleBinding grants it for every namespace,
a RoleBinding only when it is in `kube-system`; a rule limited by `resourceNames` counts when it
names that ConfigMap. Kubernetes' own default bindings are skipped.

## Why it matters
CoreDNS answers every name lookup of every pod. Whoever edits its Corefile can rewrite or forward
any name (for example `rewrite name api.payments.svc.cluster.local attacker.ns.svc.cluster.local`)
and so send other workloads' traffic, credentials included, to a server of their choice (MITRE
ATT&CK T1557, adversary in the middle; "CoreDNS poisoning" in Microsoft's threat matrix for
Kubernetes). With the `reload` plugin (in kubeadm's default Corefile) CoreDNS picks up the change
on its own, without a restart.

## Example
```yaml
kind: Role
metadata: {name: dns-editor, namespace: kube-system}
rules:
  - apiGroups: [""]
    resources: [configmaps]
    resourceNames: [coredns]
    verbs: [get, update]           # flagged on each subject bound to it in kube-system
```

## Fix
Keep write access to the CoreDNS ConfigMaps to cluster administrators; give others `get` only.

## References
- https://kubernetes.io/docs/tasks/administer-cluster/dns-custom-nameservers/
- https://microsoft.github.io/Threat-Matrix-for-Kubernetes/techniques/CoreDNS%20poisoning/
"""

from __future__ import annotations

from kubeguard.analyzers.rbac.risky import COREDNS_CONFIG_CHANGE
from kubeguard.checks.rbac._common import BINDINGS, permission_check
from kubeguard.rules.rule import Rule, Severity

RULE = Rule(
    code="RBAC020",
    slug="coredns-config-change",
    title="Subject can change the CoreDNS configuration",
    severity=Severity.HIGH,
    needs=("roles and their bindings (the RBAC graph)",),
    applies_to=BINDINGS,
    check=permission_check(COREDNS_CONFIG_CHANGE, where="any", what="change the CoreDNS configuration"),
    remediation="Remove update and patch on the coredns ConfigMaps in kube-system (and configmaps wildcards there).",
    references=("https://microsoft.github.io/Threat-Matrix-for-Kubernetes/techniques/CoreDNS%20poisoning/",),
    aliases=("kubescape:C-0037",),
)
