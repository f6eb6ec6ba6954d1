"""Pod created in the host IPC namespace.

## What it does
Alerts when a pod is created (and accepted) with `spec.hostIPC: true`, unless every container of
the pod (init and ephemeral included) runs an image in `audit.hostIpcImages` (repositories as written or
fully qualified, globs allowed; default: empty, as Falco's `k8s_audit_hostipc_images`).

## Why it matters
A pod in the host IPC namespace shares System V shared memory and message queues with every
process of the node, so it can read or tamper with what host processes exchange there.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "mallory"},
 "objectRef": {"resource": "pods", "namespace": "default", "name": "x", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Pod", "spec": {"hostIPC": true,
   "containers": [{"name": "x", "image": "alpine"}]}}}
```

## Fix
Delete the pod unless it is an expected node agent, and list such agents' images in
`audit.hostIpcImages`. Pod Security `baseline` forbids host namespaces.

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

TRUSTED_IMAGES = "hostIpcImages"

#: Falco's ``k8s_audit_hostipc_images`` (empty).
DEFAULT_TRUSTED_IMAGES: tuple[str, ...] = ()


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    spec = pod_spec(event.request_object)
    if spec.get("hostIPC") is not True:
        return None
    if all_images_in(spec, ctx.allow_list(TRUSTED_IMAGES, DEFAULT_TRUSTED_IMAGES)):
        return None
    return host_namespace_message(who(event), object_name(event), "hostIPC", spec)


RULE = AuditRule(
    code="AUD009",
    slug="host-ipc-pod",
    title="Pod created in the host IPC namespace",
    severity=Severity.MEDIUM,
    on=on(verbs="create", resources="pods", api_groups=""),
    check=check,
    remediation="Delete the pod unless it is an expected node agent; list such agents in audit.hostIpcImages; "
    "enforce Pod Security baseline.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/",),
    compliance={"mitre-attack": ("T1611",)},
    aliases=(
        "falco:Create HostIPC Pod",
        "panther:Kubernetes.Pod.Host.IPC",
        "panther:Kubernetes.PodUsingIPCNamespace",
    ),
)
