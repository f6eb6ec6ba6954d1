"""Pod created in the host network.

## What it does
Alerts when a pod is created (and accepted) with `spec.hostNetwork: true`, unless every container of
the pod (init and ephemeral included) runs an image in `audit.hostNetworkImages` (repositories as written or
fully qualified, globs allowed; default: Falco's `k8s_audit_hostnetwork_images` (GKE and Calico node agents)).

## Why it matters
A pod in the host network sees every interface of the node: it can listen on the node's ports,
reach services bound to the node's localhost, sniff traffic and bypass network policies, which do
not apply to host-network pods.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "mallory"},
 "objectRef": {"resource": "pods", "namespace": "default", "name": "x", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Pod", "spec": {"hostNetwork": true,
   "containers": [{"name": "x", "image": "alpine"}]}}}
```

## Fix
Delete the pod unless it is an expected node agent, and list such agents' images in
`audit.hostNetworkImages`. Pod Security `baseline` forbids host namespaces.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- MITRE ATT&CK T1610 Deploy Container, T1611 Escape to Host
"""

from __future__ import annotations

from kubeguard.checks.audit._events import object_name, pod_spec, who
from kubeguard.checks.audit._pods import all_images_in, host_namespace_message
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

TRUSTED_IMAGES = "hostNetworkImages"

#: Falco's ``k8s_audit_hostnetwork_images``.
DEFAULT_TRUSTED_IMAGES = (
    "gcr.io/google-containers/prometheus-to-sd",
    "gcr.io/projectcalico-org/typha",
    "gcr.io/projectcalico-org/node",
    "gke.gcr.io/gke-metadata-server",
    "gke.gcr.io/kube-proxy",
    "gke.gcr.io/netd-amd64",
    "registry.k8s.io/ip-masq-agent-amd64",
    "registry.k8s.io/prometheus-to-sd",
)


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    spec = pod_spec(event.request_object)
    if spec.get("hostNetwork") is not True:
        return None
    if all_images_in(spec, ctx.allow_list(TRUSTED_IMAGES, DEFAULT_TRUSTED_IMAGES)):
        return None
    return host_namespace_message(who(event), object_name(event), "hostNetwork", spec)


RULE = AuditRule(
    code="AUD007",
    slug="host-network-pod",
    title="Pod created in the host network",
    severity=Severity.MEDIUM,
    on=on(verbs="create", resources="pods", api_groups=""),
    check=check,
    remediation="Delete the pod unless it is an expected node agent; list such agents in audit.hostNetworkImages; "
    "enforce Pod Security baseline.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/",),
    compliance={
        "mitre-attack": (
            "T1610",
            "T1611",
        )
    },
    aliases=(
        "falco:Create HostNetwork Pod",
        "panther:Kubernetes.Pod.Host.Network",
        "panther:GCP.K8s.Pod.Attached.To.Node.Host.Network",
        "panther:Kubernetes.PodAttachedHostNetwork",
    ),
)
