"""DaemonSet created.

## What it does
Alerts when a DaemonSet is created (and accepted), except by a cluster component (`system:...`
users and `kube-system` service accounts) in a system namespace (`kube-system`, `kube-public`,
`kube-node-lease`, `gke-system`). The message names the images.

## Why it matters
A DaemonSet puts a pod on every node, new nodes included: the fastest way to run code everywhere
(a miner, an agent that reads each node's pods), and it comes back whenever a node is replaced.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "mallory"},
 "objectRef": {"resource": "daemonsets", "namespace": "default", "name": "node-agent",
               "apiGroup": "apps", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "DaemonSet", "spec": {"template": {"spec": {"containers": [
   {"name": "a", "image": "evil/agent"}]}}}}}
```

## Fix
Confirm the DaemonSet comes from your deployment process; delete it otherwise and check the nodes
it ran on.

## References
- https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/
- MITRE ATT&CK T1610 Deploy Container, T1543.005 Container Service
"""

from __future__ import annotations

from kubeguard.checks.audit._events import containers, image_of, object_name, pod_spec, who
from kubeguard.checks.audit._principals import SYSTEM_NAMESPACES, is_system_component
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    if event.namespace in SYSTEM_NAMESPACES and is_system_component(event.user.username):
        return None
    obj = event.request_object
    spec = obj.get("spec") if isinstance(obj, dict) else None
    template = spec.get("template") if isinstance(spec, dict) else None
    images = sorted({image_of(c) for _l, _i, c in containers(pod_spec(template))} - {""})
    running = f" running {', '.join(images)}" if images else ""
    return f"{who(event)} created daemonset {object_name(event)}{running}"


RULE = AuditRule(
    code="AUD053",
    slug="daemonset-created",
    title="DaemonSet created",
    severity=Severity.LOW,
    on=on(verbs="create", resources="daemonsets", api_groups="apps"),
    check=check,
    remediation="Confirm the DaemonSet is expected; delete it otherwise and check its nodes.",
    references=("https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/",),
    compliance={"mitre-attack": ("T1610", "T1543.005")},
    aliases=(
        "panther:Kubernetes.DaemonSet.Created",
        "panther:GCP.K8s.New.Daemonset.Deployed",
        "panther:Kubernetes.DaemonSetDeployed",
    ),
)
