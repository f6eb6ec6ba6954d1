"""Role granting write verbs created or changed.

## What it does
Alerts when a Role or ClusterRole is created, replaced or patched (and accepted) with a policy rule
that has a write verb (`create`, `update`, `patch`, `delete`, `deletecollection`, or `*`) in `verbs`. The role as stored is read when the audit policy logged the response, else the
request's body. ClusterRoles with an `aggregationRule` are skipped: the controller manager writes
their rules from the roles they aggregate, which are judged on their own.

## Why it matters
Write access is what changes a cluster; roles that grant it are worth knowing about as they
appear. The rule is informational in most clusters (deployment tools create such roles all the
time) and is meant for clusters where RBAC changes are rare.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "clusterroles", "name": "helper", "apiGroup": "rbac.authorization.k8s.io",
               "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "ClusterRole", "rules": [{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get", "patch"]}]}}
```

## Fix
Confirm the role is expected and grants no more than its users need.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/
- MITRE ATT&CK T1098.006 Additional Container Cluster Roles
"""

from __future__ import annotations

from kubeguard.checks.audit._role_grants import grant_rule, listed
from kubeguard.rules.rule import Severity

_WRITE = ("create", "update", "patch", "delete", "deletecollection", "*")


def match(groups: list[str], resources: list[str], verbs: list[str]) -> str | None:
    write = [v for v in verbs if v in _WRITE]
    return f"grants {listed(write)} on {listed(resources)}" if write else None


RULE = grant_rule(
    code="AUD021",
    slug="role-with-write-verbs",
    title="Role granting write verbs created or changed",
    severity=Severity.LOW,
    match=match,
    remediation="Confirm the role is expected and grants no more than its users need.",
    mitre=("T1098.006",),
    aliases=(
        "falco:ClusterRole With Write Privileges Created",
        "panther:Kubernetes.Role.WritePermissions",
    ),
)
