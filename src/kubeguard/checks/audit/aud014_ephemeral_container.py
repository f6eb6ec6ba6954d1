"""Ephemeral container added to a pod.

## What it does
Alerts when ephemeral containers are added to a running pod (`pods/ephemeralcontainers`, `update` or
`patch`, which is what `kubectl debug POD` does) and the API server accepted it. The message names
the ephemeral containers the request sends, their images, and whether one is privileged (`kubectl
debug --profile=sysadmin`), which the pod creation rules cannot see. Users in
`audit.debugAllowedUsers` are not alerted on.

## Why it matters
An ephemeral container runs any image inside an existing pod, with the pod's service account,
volumes and network, and may target another container's process namespace: it is exec with a tool
image of the user's choice, and it leaves no trace in the workload's spec.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "patch",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "pods", "namespace": "shop", "name": "web-0", "apiVersion": "v1",
               "subresource": "ephemeralcontainers"},
 "responseStatus": {"code": 200},
 "requestObject": {"spec": {"ephemeralContainers": [{"name": "debugger-x", "image": "busybox",
   "targetContainerName": "web"}]}}}
```

## Fix
Confirm that the debugging session was expected; remove `update`/`patch` on
`pods/ephemeralcontainers` from roles that do not need it; list expected users in
`audit.debugAllowedUsers`.

## References
- https://kubernetes.io/docs/concepts/workloads/pods/ephemeral-containers/
- https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/#ephemeral-container
- MITRE ATT&CK T1609 Container Administration Command, T1610 Deploy Container
"""

from __future__ import annotations

from kubeguard.checks.audit._events import image_of, pod_spec, who
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

ALLOWED_USERS = "debugAllowedUsers"


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    if event.user.username in ctx.allow_list(ALLOWED_USERS):
        return None
    items = pod_spec(event.request_object).get("ephemeralContainers")
    described = []
    for c in items if isinstance(items, list) else []:
        if not isinstance(c, dict):
            continue
        sc = c.get("securityContext")
        privileged = " privileged" if isinstance(sc, dict) and sc.get("privileged") is True else ""
        described.append(f"{c.get('name')!r} ({image_of(c) or 'no image'}{privileged})")
    what = ": " + ", ".join(described) if described else ""
    return f"{who(event)} added ephemeral containers to pod {event.namespace}/{event.name}{what}"


RULE = AuditRule(
    code="AUD014",
    slug="ephemeral-container",
    title="Ephemeral container added to a pod",
    severity=Severity.LOW,
    on=on(
        verbs=("create", "update", "patch"),
        resources="pods",
        subresources="ephemeralcontainers",
        api_groups="",
    ),
    check=check,
    remediation="Remove pods/ephemeralcontainers from roles that do not need it; list expected users in "
    "audit.debugAllowedUsers.",
    references=("https://kubernetes.io/docs/concepts/workloads/pods/ephemeral-containers/",),
    compliance={"mitre-attack": ("T1609", "T1610")},
    aliases=("falco:EphemeralContainers Created",),
)
