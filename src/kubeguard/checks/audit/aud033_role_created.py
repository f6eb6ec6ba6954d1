"""Role created.

## What it does
Informational: records every Role created with the API server's acceptance, with who did it.
Falco's "K8s Role Created" activity rule.

## Why it matters
Roles define what identities may do; a new one is a new set of permissions to review. In an incident, the record of such changes says what an intruder added or removed; in normal
operation it shows changes made outside the deployment process.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "roles", "namespace": "shop", "name": "reader", "apiGroup": "rbac.authorization.k8s.io", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Role", "apiVersion": "rbac.authorization.k8s.io/v1", "metadata": {"name": "reader", "namespace": "shop"}}}
```

## Fix
Nothing to fix by itself: confirm the change was expected. Ignore the rule (`--ignore AUD033`) where
such changes are routine.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/
- MITRE ATT&CK T1098.006 Additional Container Cluster Roles
"""

from __future__ import annotations

from kubeguard.checks.audit._activity import activity_rule

RULE = activity_rule(
    code="AUD033",
    slug="role-created",
    title="Role created",
    verbs=("create",),
    resource="roles",
    api_group="rbac.authorization.k8s.io",
    references=("https://kubernetes.io/docs/reference/access-authn-authz/rbac/",),
    mitre=("T1098.006",),
    aliases=("falco:K8s Role Created",),
)
