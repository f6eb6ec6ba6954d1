"""Pod created with a host path mounted.

## What it does
Alerts when a pod is created (and accepted) with a `hostPath` volume whose path is not one of
`audit.sensitiveHostPaths` (those are AUD006's, at a higher severity). Pods in
`audit.kubeNamespaces` (default `kube-system`, `kube-public`, where node agents live) and pods whose
containers all run images in `audit.hostPathImages` are not alerted on.

## Why it matters
Any host path is a hole in the container's isolation: a writable one lets the container plant files
on the node (other pods' volumes, log directories read by node agents), and paths that look
harmless may contain sockets or credentials.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "pods", "namespace": "shop", "name": "logger", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Pod", "spec": {"containers": [{"name": "x", "image": "fluent-bit"}],
   "volumes": [{"name": "logs", "hostPath": {"path": "/var/log"}}]}}}
```

## Fix
Use a persistent volume or an `emptyDir` instead; add node agents that need the host path to
`audit.hostPathImages`. Pod Security `baseline` forbids hostPath volumes.

## References
- https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
- MITRE ATT&CK T1611 Escape to Host
"""

from __future__ import annotations

from kubeguard.checks.audit._events import object_name, pod_spec, who
from kubeguard.checks.audit._pods import (
    DEFAULT_SENSITIVE_PATHS,
    KUBE_NAMESPACES,
    SENSITIVE_PATHS,
    all_images_in,
    host_paths,
)
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

NAMESPACES = "kubeNamespaces"
TRUSTED_IMAGES = "hostPathImages"


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    if event.namespace in ctx.allow_list(NAMESPACES, KUBE_NAMESPACES):
        return None
    spec = pod_spec(event.request_object)
    sensitive = ctx.allow_list(SENSITIVE_PATHS, DEFAULT_SENSITIVE_PATHS)
    found = [f"{path} (volume {name!r})" for name, path in host_paths(spec) if path not in sensitive]
    if not found or all_images_in(spec, ctx.allow_list(TRUSTED_IMAGES)):
        return None
    return f"{who(event)} created pod {object_name(event)} mounting host paths: " + ", ".join(found)


RULE = AuditRule(
    code="AUD064",
    slug="hostpath-volume-pod",
    title="Pod created with a host path mounted",
    severity=Severity.LOW,
    on=on(verbs="create", resources="pods", api_groups=""),
    check=check,
    remediation="Use a persistent volume or emptyDir; list node agents in audit.hostPathImages.",
    references=("https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",),
    compliance={"mitre-attack": ("T1611",)},
    aliases=("panther:Kubernetes.Pod.HostPath.Volume", "panther:Kubernetes.PodHostPathVolumeMount"),
)
