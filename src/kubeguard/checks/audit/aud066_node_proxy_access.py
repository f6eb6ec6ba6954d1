"""Kubelet reached through the nodes proxy.

## What it does
Alerts when a request through the API server's node proxy (`nodes/proxy`, any verb) is accepted,
unless the user is in `audit.nodeProxyAllowedUsers` (names or globs; add monitoring that scrapes
the kubelet through the API server). The message names the kubelet path reached (`/exec/...`,
`/run/...`, `/pods`, `/metrics` ...).

## Why it matters
The kubelet API runs commands in any container of its node (`/run`, `/exec`), lists its pods and
reads their logs. Through the proxy, that is done with a `nodes/proxy` permission and logged as a
request on the node, not as an exec on the pod: exec rules do not see it.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "system:serviceaccount:monitoring:scraper"},
 "requestURI": "/api/v1/nodes/node-1/proxy/run/kube-system/etcd-node-1/etcd?cmd=id",
 "objectRef": {"resource": "nodes", "name": "node-1", "subresource": "proxy", "apiVersion": "v1"},
 "responseStatus": {"code": 200}}
```

## Fix
Find out why the identity reached the kubelet; remove `nodes/proxy` from its roles (monitoring needs
`nodes/metrics` and `nodes/stats`, which the kubelet authorizes on their own).

## References
- https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/
- MITRE ATT&CK T1609 Container Administration Command
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

ALLOWED_USERS = "nodeProxyAllowedUsers"


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    if event.user.username in ctx.allow_list(ALLOWED_USERS):
        return None
    path = event.request_uri.split("?", 1)[0]
    marker = f"/nodes/{event.name}/proxy"
    kubelet_path = path.split(marker, 1)[1] if marker in path else ""
    return f"{who(event)} reached the kubelet of node {event.name} through the API server: {event.verb} {kubelet_path or '/'}"


RULE = AuditRule(
    code="AUD066",
    slug="node-proxy-access",
    title="Kubelet reached through the nodes proxy",
    severity=Severity.MEDIUM,
    on=on(resources="nodes", subresources="proxy", api_groups=""),
    check=check,
    remediation="Remove nodes/proxy from roles that do not need it; monitoring needs nodes/metrics only.",
    references=("https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/",),
    compliance={"mitre-attack": ("T1609",)},
)
