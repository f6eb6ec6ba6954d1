"""Pod created with a sensitive host path mounted.

## What it does
Alerts when a pod is created (and accepted) with a `hostPath` volume whose path, normalised (`/etc/`
is `/etc`), is in `audit.sensitiveHostPaths`: by default Falco's list (`/`, `/proc`, `/etc`,
`/root`, `/home/admin`, the container runtime sockets, the kubelet's and kubeadm's directories) with
Panther's additions (`/sys`, `/var/lib/docker`, `/etc/kubernetes/pki`) and the `/run` spellings of
the `/var/run` sockets. Pods whose containers all run images in `audit.sensitiveMountImages`
(default: Falco's `k8s_audit_sensitive_mount_images`, node agents such as Falco, Datadog, node
exporter) are not alerted on.

Any other host path is reported, at a lower severity, by AUD064.

## Why it matters
A container that mounts the host's root, `/etc`, the kubelet's credentials or the runtime socket
owns the node: it can read every pod's secrets on it or start privileged containers directly.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "mallory"},
 "objectRef": {"resource": "pods", "namespace": "default", "name": "x", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Pod", "spec": {
   "containers": [{"name": "x", "image": "alpine", "volumeMounts": [{"name": "s", "mountPath": "/s"}]}],
   "volumes": [{"name": "s", "hostPath": {"path": "/var/run/docker.sock"}}]}}}
```

## Fix
Delete the pod unless it is an expected node agent; add agents that need the path to
`audit.sensitiveMountImages`. Pod Security `baseline` forbids hostPath volumes.

## References
- https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
- MITRE ATT&CK T1611 Escape to Host
"""

from __future__ import annotations

from kubeguard.checks.audit._events import object_name, pod_spec, who
from kubeguard.checks.audit._pods import DEFAULT_SENSITIVE_PATHS, SENSITIVE_PATHS, all_images_in, host_paths
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

TRUSTED_IMAGES = "sensitiveMountImages"


#: Falco's ``k8s_audit_sensitive_mount_images``.
DEFAULT_TRUSTED_IMAGES = (
    "falcosecurity/falco",
    "docker.io/falcosecurity/falco",
    "public.ecr.aws/falcosecurity/falco",
    "docker.io/sysdig/sysdig",
    "sysdig/sysdig",
    "gcr.io/google_containers/hyperkube",
    "gcr.io/google_containers/kube-proxy",
    "docker.io/calico/node",
    "docker.io/rook/toolbox",
    "docker.io/cloudnativelabs/kube-router",
    "docker.io/consul",
    "docker.io/datadog/docker-dd-agent",
    "docker.io/datadog/agent",
    "docker.io/docker/ucp-agent",
    "docker.io/gliderlabs/logspout",
    "docker.io/netdata/netdata",
    "docker.io/google/cadvisor",
    "docker.io/prom/node-exporter",
    "amazon/amazon-ecs-agent",
    "prom/node-exporter",
    "amazon/cloudwatch-agent",
)


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    spec = pod_spec(event.request_object)
    sensitive = ctx.allow_list(SENSITIVE_PATHS, DEFAULT_SENSITIVE_PATHS)
    found = [f"{path} (volume {name!r})" for name, path in host_paths(spec) if path in sensitive]
    if not found or all_images_in(spec, ctx.allow_list(TRUSTED_IMAGES, DEFAULT_TRUSTED_IMAGES)):
        return None
    return f"{who(event)} created pod {object_name(event)} mounting sensitive host paths: " + ", ".join(found)


RULE = AuditRule(
    code="AUD006",
    slug="sensitive-mount-pod",
    title="Pod created with a sensitive host path mounted",
    severity=Severity.HIGH,
    on=on(verbs="create", resources="pods", api_groups=""),
    check=check,
    remediation="Delete the pod unless it is an expected node agent; list such agents in "
    "audit.sensitiveMountImages; enforce Pod Security baseline.",
    references=("https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",),
    compliance={"mitre-attack": ("T1611",)},
    aliases=(
        "falco:Create Sensitive Mount Pod",
        "panther:GCP.K8S.Pod.Create.Or.Modify.Host.Path.Volume.Mount",
    ),
)
