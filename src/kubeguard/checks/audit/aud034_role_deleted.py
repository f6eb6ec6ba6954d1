"""Role deleted.

## What it does
Informational: records every Role deleted (one by `delete`, or all of a namespace by `deletecollection`) with the API server's acceptance, with who did it.
Falco's "K8s Role Deleted" activity rule.

## Why it matters
Roles define what identities may do; a new one is a new set of permissions to review. In an incident, the record of such changes says what an intruder added or removed; in normal
operation it shows changes made outside the deployment process.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "delete",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "roles", "namespace": "shop", "name": "reader", "apiGroup": "rbac.authorization.k8s.io", "apiVersion": "v1"},
 "responseStatus": {"code": 200}}
```

## Fix
Nothing to fix by itself: confirm the change was expected. Ignore the rule (`--ignore AUD034`) where
such changes are routine.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/
- MITRE ATT&CK T1070 Indicator Removal
"""

from __future__ import annotations

from kubeguard.checks.audit._activity import activity_rule

RULE = activity_rule(
    code="AUD034",
    slug="role-deleted",
    title="Role deleted",
    verbs=(
        "delete",
        "deletecollection",
    ),
    resource="roles",
    api_group="rbac.authorization.k8s.io",
    references=("https://kubernetes.io/docs/reference/access-authn-authz/rbac/",),
    mitre=("T1070",),
    aliases=("falco:K8s Role Deleted",),
)
