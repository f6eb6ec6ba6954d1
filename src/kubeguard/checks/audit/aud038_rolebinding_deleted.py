"""RoleBinding deleted.

## What it does
Informational: records every RoleBinding deleted (one by `delete`, or all of a namespace by `deletecollection`) with the API server's acceptance, with who did it.
Falco's "K8s RoleBinding Deleted" activity rule.

## Why it matters
A binding is a grant: who gets which role. In an incident, the record of such changes says what an intruder added or removed; in normal
operation it shows changes made outside the deployment process.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "delete",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "rolebindings", "namespace": "shop", "name": "readers", "apiGroup": "rbac.authorization.k8s.io", "apiVersion": "v1"},
 "responseStatus": {"code": 200}}
```

## Fix
Nothing to fix by itself: confirm the change was expected. Ignore the rule (`--ignore AUD038`) where
such changes are routine.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/
- MITRE ATT&CK T1070 Indicator Removal
"""

from __future__ import annotations

from kubeguard.checks.audit._activity import activity_rule

RULE = activity_rule(
    code="AUD038",
    slug="rolebinding-deleted",
    title="RoleBinding deleted",
    verbs=(
        "delete",
        "deletecollection",
    ),
    resource="rolebindings",
    api_group="rbac.authorization.k8s.io",
    references=("https://kubernetes.io/docs/reference/access-authn-authz/rbac/",),
    mitre=("T1070",),
    aliases=("falco:K8s RoleBinding Deleted",),
)
