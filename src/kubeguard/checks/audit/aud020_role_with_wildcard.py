"""Role granting wildcards created or changed.

## What it does
Alerts when a Role or ClusterRole is created, replaced or patched (and accepted) with a policy rule
that has a `*` in `resources` or `verbs`. The role as stored is read when the audit policy logged the response, else the
request's body. ClusterRoles with an `aggregationRule` are skipped: the controller manager writes
their rules from the roles they aggregate, which are judged on their own.

## Why it matters
A wildcard grants every resource (including secrets and whatever custom resources are installed
later) or every verb (including `escalate`, `bind` and `impersonate`): it is `cluster-admin` in
everything but name, and it grows with the cluster.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "clusterroles", "name": "helper", "apiGroup": "rbac.authorization.k8s.io",
               "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "ClusterRole", "rules": [{"apiGroups": [""], "resources": ["*"], "verbs": ["get", "list"]}]}}
```

## Fix
Replace the wildcard with the resources and verbs the role's users need.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/
- MITRE ATT&CK T1098.006 Additional Container Cluster Roles
"""

from __future__ import annotations

from kubeguard.checks.audit._role_grants import grant_rule, listed
from kubeguard.rules.rule import Severity


def match(groups: list[str], resources: list[str], verbs: list[str]) -> str | None:
    wild = [
        f"{name} {listed(values)}"
        for name, values in (("resources", resources), ("verbs", verbs))
        if "*" in values
    ]
    return "grants " + " and ".join(wild) if wild else None


RULE = grant_rule(
    code="AUD020",
    slug="role-with-wildcard",
    title="Role granting wildcards created or changed",
    severity=Severity.MEDIUM,
    match=match,
    remediation="Replace the wildcard with the resources and verbs the role's users need.",
    mitre=("T1098.006",),
    aliases=(
        "falco:ClusterRole With Wildcard Created",
        "panther:Kubernetes.Role.Wildcard",
    ),
)
