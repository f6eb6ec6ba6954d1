"""Pod created in a kube namespace.

## What it does
Alerts when a pod is created (and accepted) in one of `audit.kubeNamespaces` (default: Falco's
`kube-system` and `kube-public`) unless both hold: every container (init and ephemeral included)
runs an image in `audit.kubeNamespaceImages` (default: Falco's `allowed_kube_namespace_image_list`,
GKE and upstream add-ons), and the requester is a system identity (a name starting with `system:`:
a node for static pods, a controller for DaemonSets and Deployments). The first condition is
Falco's; the second is Panther's (a person creating a pod there is suspect whatever its image).

Falco's default image list is short: on most distributions the components' own images (CoreDNS,
kube-proxy, the CNI, etcd) must be added to `audit.kubeNamespaceImages`.

## Why it matters
The kube namespaces hold the cluster's control components and their credentials; few people
watch them. A workload added there hides among system pods and is often allowed more than any
application namespace (privileged Pod Security, broad service accounts).

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "system:serviceaccount:kube-system:daemon-set-controller"},
 "objectRef": {"resource": "pods", "namespace": "kube-system", "name": "agent-x7k2p", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Pod", "spec": {"containers": [{"name": "a", "image": "evil/agent"}]}}}
```

## Fix
Find the workload that owns the pod (its `ownerReferences`) and who created it; delete what is not
expected. Add the components your distribution runs there to `audit.kubeNamespaceImages`.

## References
- https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#initial-namespaces
- MITRE ATT&CK T1036.005 Match Legitimate Resource Name or Location, T1610 Deploy Container
"""

from __future__ import annotations

from kubeguard.checks.audit._events import object_name, pod_spec, who
from kubeguard.checks.audit._pods import KUBE_NAMESPACES, untrusted_images
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

NAMESPACES = "kubeNamespaces"
TRUSTED_IMAGES = "kubeNamespaceImages"

#: Falco's ``allowed_kube_namespace_image_list``.
DEFAULT_TRUSTED_IMAGES = (
    "gcr.io/google-containers/prometheus-to-sd",
    "gcr.io/projectcalico-org/node",
    "gke.gcr.io/addon-resizer",
    "gke.gcr.io/heapster",
    "gke.gcr.io/gke-metadata-server",
    "registry.k8s.io/ip-masq-agent-amd64",
    "registry.k8s.io/kube-apiserver",
    "gke.gcr.io/kube-proxy",
    "gke.gcr.io/netd-amd64",
    "gke.gcr.io/watcher-daemonset",
    "registry.k8s.io/addon-resizer",
    "registry.k8s.io/prometheus-to-sd",
    "registry.k8s.io/k8s-dns-dnsmasq-nanny-amd64",
    "registry.k8s.io/k8s-dns-kube-dns-amd64",
    "registry.k8s.io/k8s-dns-sidecar-amd64",
    "registry.k8s.io/metrics-server-amd64",
    "kope/kube-apiserver-healthcheck",
)


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    if event.namespace not in ctx.allow_list(NAMESPACES, KUBE_NAMESPACES):
        return None
    spec = pod_spec(event.request_object)
    untrusted = untrusted_images(spec, ctx.allow_list(TRUSTED_IMAGES, DEFAULT_TRUSTED_IMAGES))
    system = event.user.username.startswith("system:")
    if system and not untrusted:
        return None
    why = []
    if untrusted:
        why.append("images outside audit.kubeNamespaceImages: " + ", ".join(untrusted))
    if not system:
        why.append("created by a user, not a system component")
    return f"{who(event)} created pod {object_name(event)} in a kube namespace ({'; '.join(why)})"


RULE = AuditRule(
    code="AUD016",
    slug="pod-in-kube-namespace",
    title="Pod created in a kube namespace",
    severity=Severity.MEDIUM,
    on=on(verbs="create", resources="pods", api_groups=""),
    check=check,
    remediation="Delete unexpected pods and their owners; list your distribution's components in "
    "audit.kubeNamespaceImages.",
    references=(
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#initial-namespaces",
    ),
    compliance={"mitre-attack": ("T1036.005", "T1610")},
    aliases=(
        "falco:Pod Created in Kube Namespace",
        "panther:Kubernetes.Pod.SystemNamespace",
        "panther:Kubernetes.PodCreatedDefaultNameSpace",
    ),
)
