"""Namespace deleted.

## What it does
Informational: records every Namespace deleted (one by `delete`, or all of a namespace by `deletecollection`) with the API server's acceptance, with who did it.
Falco's "K8s Namespace Deleted" activity rule.
Requests by users named `system:...` (the namespace controller's clean-up) are not alerted
on, as in Falco's rule.

## Why it matters
Namespaces are the unit of tenancy and policy; deleting one deletes everything in it. In an incident, the record of such changes says what an intruder added or removed; in normal
operation it shows changes made outside the deployment process.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "delete",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "namespaces", "name": "team-b", "apiVersion": "v1"},
 "responseStatus": {"code": 200}}
```

## Fix
Nothing to fix by itself: confirm the change was expected. Ignore the rule (`--ignore AUD030`) where
such changes are routine.

## References
- https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
- MITRE ATT&CK T1485 Data Destruction
"""

from __future__ import annotations

from kubeguard.checks.audit._activity import activity_rule

RULE = activity_rule(
    code="AUD030",
    slug="namespace-deleted",
    title="Namespace deleted",
    verbs=(
        "delete",
        "deletecollection",
    ),
    resource="namespaces",
    api_group="",
    references=("https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/",),
    mitre=("T1485",),
    aliases=("falco:K8s Namespace Deleted",),
    system_users=False,
)
