"""Role granting the nodes proxy created or changed.

## What it does
Alerts when a Role or ClusterRole is created, replaced or patched (and accepted) with a policy rule
that has the `nodes/proxy` subresource (or `*/proxy`, which RBAC matches against every resource's proxy) in `resources`. The role as stored is read when the audit policy logged the response, else the
request's body. ClusterRoles with an `aggregationRule` are skipped: the controller manager writes
their rules from the roles they aggregate, which are judged on their own.

## Why it matters
`nodes/proxy` reaches the kubelet API of every node through the API server: it runs commands in
any container on the node (`/exec`, `/run`) without a `pods/exec` audit event naming the pod, and
reads logs and metrics. Even `get` alone is enough for the kubelet's WebSocket exec.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "clusterroles", "name": "helper", "apiGroup": "rbac.authorization.k8s.io",
               "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "ClusterRole", "rules": [{"apiGroups": [""], "resources": ["nodes/proxy"], "verbs": ["get"]}]}}
```

## Fix
Remove `nodes/proxy` from the role; monitoring agents need only `nodes/metrics` and `nodes/stats`.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/
- MITRE ATT&CK T1098.006 Additional Container Cluster Roles, T1609 Container Administration Command
"""

from __future__ import annotations

from kubeguard.checks.audit._role_grants import grant_rule, subresource_match
from kubeguard.rules.rule import Severity

RULE = grant_rule(
    code="AUD057",
    slug="role-with-nodes-proxy",
    title="Role granting the nodes proxy created or changed",
    severity=Severity.HIGH,
    match=subresource_match("nodes/proxy"),
    remediation="Remove nodes/proxy from the role; monitoring agents need only nodes/metrics and nodes/stats.",
    mitre=("T1098.006", "T1609"),
    aliases=("panther:Kubernetes.Role.NodeProxyPermissions",),
)
