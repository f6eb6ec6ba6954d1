"""Pod created in the host PID namespace.

## What it does
Alerts when a pod is created (and accepted) with `spec.hostPID: true`, unless every container of
the pod (init and ephemeral included) runs an image in `audit.hostPidImages` (repositories as written or
fully qualified, globs allowed; default: empty, as Falco's `k8s_audit_hostpid_images`).

## Why it matters
A pod in the host PID namespace sees every process of the node; as root it can read their
environment and memory (other pods' secrets) or enter their namespaces (`nsenter -t 1`) and so
escape to the node.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "mallory"},
 "objectRef": {"resource": "pods", "namespace": "default", "name": "x", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Pod", "spec": {"hostPID": true,
   "containers": [{"name": "x", "image": "alpine"}]}}}
```

## Fix
Delete the pod unless it is an expected node agent, and list such agents' images in
`audit.hostPidImages`. Pod Security `baseline` forbids host namespaces.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- MITRE ATT&CK T1611 Escape to Host
"""

from __future__ import annotations

from kubeguard.checks.audit._events import object_name, pod_spec, who
from kubeguard.checks.audit._pods import all_images_in, host_namespace_message
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

TRUSTED_IMAGES = "hostPidImages"

#: Falco's ``k8s_audit_hostpid_images`` (empty).
DEFAULT_TRUSTED_IMAGES: tuple[str, ...] = ()


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    spec = pod_spec(event.request_object)
    if spec.get("hostPID") is not True:
        return None
    if all_images_in(spec, ctx.allow_list(TRUSTED_IMAGES, DEFAULT_TRUSTED_IMAGES)):
        return None
    return host_namespace_message(who(event), object_name(event), "hostPID", spec)


RULE = AuditRule(
    code="AUD008",
    slug="host-pid-pod",
    title="Pod created in the host PID namespace",
    severity=Severity.HIGH,
    on=on(verbs="create", resources="pods", api_groups=""),
    check=check,
    remediation="Delete the pod unless it is an expected node agent; list such agents in audit.hostPidImages; "
    "enforce Pod Security baseline.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/",),
    compliance={"mitre-attack": ("T1611",)},
    aliases=(
        "falco:Create HostPid Pod",
        "panther:Kubernetes.Pod.Host.PID",
        "panther:GCP.K8s.Pod.Using.Host.PID.Namespace",
        "panther:Kubernetes.PodUsingHostPIDNamespace",
    ),
)
