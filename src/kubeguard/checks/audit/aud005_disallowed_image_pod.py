"""Pod created with an image outside the allowed images.

## What it does
Alerts when a pod is created (and accepted) with a container, init container or ephemeral container
whose image repository is not in `audit.allowedImages` (repositories as written without tag, such as
`nginx`, or fully qualified, such as `ghcr.io/acme/api`; globs such as `ghcr.io/acme/*`). The rule
is off until the list is set, as Falco's (whose `allowed_k8s_containers` allows everything by
default).

## Why it matters
An image from outside the registries you build and scan is unreviewed code in the cluster: a
cryptominer, a tool an intruder brought, or a typo-squatted public image.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "pods", "namespace": "shop", "name": "miner", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Pod", "spec": {"containers": [{"name": "x", "image": "xmrig/xmrig"}]}}}
```

## Fix
Delete the pod unless it is expected, and add expected repositories to `audit.allowedImages`.
Enforce the list at admission (an admission policy on image registries) so that it is not only
detected.

## References
- https://kubernetes.io/docs/concepts/containers/images/
- MITRE ATT&CK T1610 Deploy Container, T1204.003 Malicious Image
"""

from __future__ import annotations

from kubeguard.checks.audit._events import object_name, pod_spec, who
from kubeguard.checks.audit._pods import untrusted_images
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

ALLOWED_IMAGES = "allowedImages"


def configured(ctx: AuditContext) -> bool:
    """Off until ``audit.allowedImages`` lists an image, as Falco's ``allowed_k8s_containers``."""
    return bool(ctx.allow_list(ALLOWED_IMAGES))


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    found = untrusted_images(pod_spec(event.request_object), ctx.allow_list(ALLOWED_IMAGES))
    if not found:
        return None
    return (
        f"{who(event)} created pod {object_name(event)} with images outside audit.allowedImages: "
        + ", ".join(found)
    )


RULE = AuditRule(
    code="AUD005",
    slug="disallowed-image-pod",
    title="Pod created with an image outside the allowed images",
    severity=Severity.MEDIUM,
    on=on(verbs="create", resources="pods", api_groups=""),
    check=check,
    enabled=configured,
    remediation="Delete the pod unless expected; list allowed repositories in audit.allowedImages.",
    references=("https://kubernetes.io/docs/concepts/containers/images/",),
    compliance={"mitre-attack": ("T1610", "T1204.003")},
    aliases=("falco:Create Disallowed Pod",),
)
