"""ClusterRoleBinding created.

## What it does
Informational: records every ClusterRoleBinding created with the API server's acceptance, with who did it.
Falco's "K8s ClusterRoleBinding Created" activity rule.

## Why it matters
A cluster-wide binding is a grant in every namespace. In an incident, the record of such changes says what an intruder added or removed; in normal
operation it shows changes made outside the deployment process.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "clusterrolebindings", "name": "readers", "apiGroup": "rbac.authorization.k8s.io", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "ClusterRoleBinding", "apiVersion": "rbac.authorization.k8s.io/v1", "metadata": {"name": "readers"}}}
```

## Fix
Nothing to fix by itself: confirm the change was expected. Ignore the rule (`--ignore AUD039`) where
such changes are routine.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/
- MITRE ATT&CK T1098.006 Additional Container Cluster Roles
"""

from __future__ import annotations

from kubeguard.checks.audit._activity import activity_rule

RULE = activity_rule(
    code="AUD039",
    slug="clusterrolebinding-created",
    title="ClusterRoleBinding created",
    verbs=("create",),
    resource="clusterrolebindings",
    api_group="rbac.authorization.k8s.io",
    references=("https://kubernetes.io/docs/reference/access-authn-authz/rbac/",),
    mitre=("T1098.006",),
    aliases=("falco:K8s ClusterRoleBinding Created",),
)
