"""Role granting pod exec created or changed.

## What it does
Alerts when a Role or ClusterRole is created, replaced or patched (and accepted) with a policy rule
that has the `pods/exec` subresource (or `*/exec`, which RBAC matches against every resource's exec) in `resources`. The role as stored is read when the audit policy logged the response, else the
request's body. ClusterRoles with an `aggregationRule` are skipped: the controller manager writes
their rules from the roles they aggregate, which are judged on their own.

## Why it matters
Exec into pods is command execution in every workload the role reaches, with their service
account tokens and secrets: a role granting it is a remote shell on the namespace or cluster.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "clusterroles", "name": "helper", "apiGroup": "rbac.authorization.k8s.io",
               "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "ClusterRole", "rules": [{"apiGroups": [""], "resources": ["pods", "pods/exec"], "verbs": ["create", "get"]}]}}
```

## Fix
Remove `pods/exec` from the role unless its users are expected to debug production pods.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/
- MITRE ATT&CK T1098.006 Additional Container Cluster Roles, T1609 Container Administration Command
"""

from __future__ import annotations

from kubeguard.checks.audit._role_grants import grant_rule, subresource_match
from kubeguard.rules.rule import Severity

RULE = grant_rule(
    code="AUD022",
    slug="role-with-pod-exec",
    title="Role granting pod exec created or changed",
    severity=Severity.MEDIUM,
    match=subresource_match("pods/exec"),
    remediation="Remove pods/exec from the role unless its users are expected to debug production pods.",
    mitre=("T1098.006", "T1609"),
    aliases=(
        "falco:ClusterRole With Pod Exec Created",
        "panther:Kubernetes.Role.PodExec",
    ),
)
