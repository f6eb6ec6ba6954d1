"""Pod created with dangerous capabilities.

## What it does
Alerts when a pod is created (and accepted) with a container (init and ephemeral included) that
adds a capability in `audit.dangerousCapabilities` (default: Panther's `SYS_ADMIN`, `NET_ADMIN`,
`BPF`, `SYS_PTRACE`, `SYS_MODULE`, `DAC_READ_SEARCH`, `DAC_OVERRIDE`, and `ALL`, which adds them
all); `CAP_` prefixes and letter case are ignored, as the runtime ignores them. Pods in
`audit.kubeNamespaces` (default `kube-system`, `kube-public`: network and storage agents need
these) and pods whose containers all run images in `audit.capabilityImages` are not alerted on.

## Why it matters
Each of these capabilities is a known path out of the container: `SYS_ADMIN` mounts and cgroup
escapes, `SYS_MODULE` loads kernel modules, `SYS_PTRACE` reads other processes, `BPF` and
`NET_ADMIN` watch and rewrite the node's traffic, the `DAC_*` ones bypass file permissions.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "pods", "namespace": "shop", "name": "debug", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Pod", "spec": {"containers": [{"name": "x", "image": "alpine",
   "securityContext": {"capabilities": {"add": ["SYS_ADMIN"]}}}]}}}
```

## Fix
Drop the capability; most workloads need none (`drop: [ALL]`). Add agents that need one to
`audit.capabilityImages`. Pod Security `baseline` forbids all of these.

## References
- https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container
- https://man7.org/linux/man-pages/man7/capabilities.7.html
- MITRE ATT&CK T1611 Escape to Host
"""

from __future__ import annotations

from kubeguard.checks.audit._events import container_label, containers, object_name, pod_spec, who
from kubeguard.checks.audit._pods import KUBE_NAMESPACES, added_capabilities, all_images_in
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

CAPABILITIES = "dangerousCapabilities"
NAMESPACES = "kubeNamespaces"
TRUSTED_IMAGES = "capabilityImages"

#: Panther's dangerous capabilities, and ALL.
DEFAULT_CAPABILITIES = (
    "SYS_ADMIN",
    "NET_ADMIN",
    "BPF",
    "SYS_PTRACE",
    "SYS_MODULE",
    "DAC_READ_SEARCH",
    "DAC_OVERRIDE",
    "ALL",
)


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    if event.namespace in ctx.allow_list(NAMESPACES, KUBE_NAMESPACES):
        return None
    spec = pod_spec(event.request_object)
    dangerous = ctx.allow_list(CAPABILITIES, DEFAULT_CAPABILITIES)
    found = []
    for list_name, _i, c in containers(spec):
        caps = [cap for cap in added_capabilities(c) if cap in dangerous]
        if caps:
            found.append(f"{container_label(list_name, c)} adds {', '.join(caps)}")
    if not found or all_images_in(spec, ctx.allow_list(TRUSTED_IMAGES)):
        return None
    return f"{who(event)} created pod {object_name(event)}: " + "; ".join(found)


RULE = AuditRule(
    code="AUD056",
    slug="dangerous-capabilities-pod",
    title="Pod created with dangerous capabilities",
    severity=Severity.HIGH,
    on=on(verbs="create", resources="pods", api_groups=""),
    check=check,
    remediation="Drop the capability; list agents that need it in audit.capabilityImages.",
    references=(
        "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container",
    ),
    compliance={"mitre-attack": ("T1611",)},
    aliases=("panther:Kubernetes.Pod.Dangerous.Capabilities", "panther:Kubernetes.OverlyPermissivePod"),
)
