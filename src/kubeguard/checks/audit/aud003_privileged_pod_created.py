"""Privileged pod created.

## What it does
Alerts when a pod is created (and the API server accepted it) with a container, init container or
ephemeral container whose `securityContext.privileged` is `true`, unless the container's image
repository is in `audit.privilegedImages` (names as written without tag or digest, such as
`calico/node`, or fully qualified, such as `docker.io/calico/node`; globs allowed). The default
list is Falco's `k8s_audit_privileged_images`: network, proxy and monitoring agents that need it.

The rule reads the request body, so the audit policy must log `create pods` at level `Request` or
above (`kubeguard audit config` prints such a policy); at level `Metadata` the event carries no
pod and nothing can be judged.

## Why it matters
A privileged container has every capability and the host's devices: escaping to the node is
trivial, and from the node the whole cluster is within reach. Creating one outside the known agents
is a classic escalation step.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "mallory"},
 "objectRef": {"resource": "pods", "namespace": "default", "name": "debug", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Pod", "spec": {"containers": [{"name": "x", "image": "alpine",
   "securityContext": {"privileged": true}}]}}}
```

## Fix
Find who created the pod and why. Delete it if it is not expected; enforce the Pod Security
`baseline` level on the namespace (it forbids privileged containers), and add images that must run
privileged to `audit.privilegedImages`.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- MITRE ATT&CK T1610 Deploy Container, T1611 Escape to Host
"""

from __future__ import annotations

from kubeguard.checks.audit._events import (
    container_label,
    containers,
    image_in,
    image_of,
    object_name,
    pod_spec,
    who,
)
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

PRIVILEGED_IMAGES = "privilegedImages"

#: Falco's ``k8s_audit_privileged_images`` (falcosecurity/plugins, k8saudit rules).
DEFAULT_PRIVILEGED_IMAGES = (
    "falcosecurity/falco",
    "docker.io/falcosecurity/falco",
    "public.ecr.aws/falcosecurity/falco",
    "docker.io/calico/node",
    "calico/node",
    "docker.io/cloudnativelabs/kube-router",
    "docker.io/docker/ucp-agent",
    "docker.io/mesosphere/mesos-slave",
    "docker.io/rook/toolbox",
    "docker.io/sysdig/sysdig",
    "gcr.io/google_containers/kube-proxy",
    "gcr.io/google-containers/startup-script",
    "gcr.io/projectcalico-org/node",
    "gke.gcr.io/kube-proxy",
    "gke.gcr.io/gke-metadata-server",
    "gke.gcr.io/netd-amd64",
    "gke.gcr.io/watcher-daemonset",
    "gcr.io/google-containers/prometheus-to-sd",
    "registry.k8s.io/ip-masq-agent-amd64",
    "registry.k8s.io/kube-proxy",
    "registry.k8s.io/prometheus-to-sd",
    "quay.io/calico/node",
    "sysdig/sysdig",
    "registry.k8s.io/dns/k8s-dns-node-cache",
    "mcr.microsoft.com/oss/kubernetes/kube-proxy",
)


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    trusted = ctx.allow_list(PRIVILEGED_IMAGES, DEFAULT_PRIVILEGED_IMAGES)
    found = []
    for list_name, _i, c in containers(pod_spec(event.request_object)):
        sc = c.get("securityContext")
        if isinstance(sc, dict) and sc.get("privileged") is True and not image_in(image_of(c), trusted):
            found.append(f"{container_label(list_name, c)} ({image_of(c) or 'no image'})")
    if not found:
        return None
    return f"{who(event)} created pod {object_name(event)} with privileged " + ", ".join(found)


RULE = AuditRule(
    code="AUD003",
    slug="privileged-pod-created",
    title="Privileged pod created",
    severity=Severity.HIGH,
    on=on(verbs="create", resources="pods", api_groups=""),
    check=check,
    remediation="Delete the pod unless it is expected; enforce Pod Security baseline on the namespace; "
    "list images that must run privileged in audit.privilegedImages.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/",),
    compliance={"mitre-attack": ("T1610", "T1611")},
    level="Request",
    aliases=(
        "falco:Create Privileged Pod",
        "panther:Kubernetes.Pod.Privileged.Created",
        "panther:GCP.K8S.Privileged.Pod.Created",
        "panther:Kubernetes.PrivilegedPodCreated",
    ),
)
