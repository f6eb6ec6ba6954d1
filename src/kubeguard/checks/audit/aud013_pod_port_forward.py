"""Port-forward to a pod.

## What it does
Alerts when someone opens a port-forward to a pod (`pods/portforward`, `create` or `get`) and the
API server let them. The alert is raised when the tunnel opens (stage `ResponseStarted`), not when
it closes. Users in `audit.portForwardAllowedUsers` (names or globs) are not alerted on.

## Why it matters
A port-forward tunnels from the user's machine into the pod network, past ingress controllers,
network policies at the edge and authentication in front of services: databases and admin ports
that are never exposed become reachable.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseStarted", "verb": "create",
 "user": {"username": "dev@example.com"},
 "requestURI": "/api/v1/namespaces/shop/pods/db-0/portforward",
 "objectRef": {"resource": "pods", "namespace": "shop", "name": "db-0", "apiVersion": "v1",
               "subresource": "portforward"},
 "responseStatus": {"code": 101}}
```

## Fix
Confirm that the tunnel was expected. Remove `create`/`get` on `pods/portforward` from roles that do
not need it; add expected users to `audit.portForwardAllowedUsers`.

## References
- https://kubernetes.io/docs/tasks/access-application-cluster/port-forward-access-application-cluster/
- MITRE ATT&CK T1609 Container Administration Command
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

ALLOWED_USERS = "portForwardAllowedUsers"


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    if event.user.username in ctx.allow_list(ALLOWED_USERS):
        return None
    return f"{who(event)} opened a port-forward to pod {event.namespace}/{event.name}"


RULE = AuditRule(
    code="AUD013",
    slug="pod-port-forward",
    title="Port-forward to a pod",
    severity=Severity.LOW,
    on=on(verbs=("create", "get"), resources="pods", subresources="portforward", api_groups=""),
    check=check,
    remediation="Remove pods/portforward from roles that do not need it; list expected users in "
    "audit.portForwardAllowedUsers.",
    references=(
        "https://kubernetes.io/docs/tasks/access-application-cluster/port-forward-access-application-cluster/",
    ),
    compliance={"mitre-attack": ("T1609",)},
    aliases=("falco:port-forward",),
)
