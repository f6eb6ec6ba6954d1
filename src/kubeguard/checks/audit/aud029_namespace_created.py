"""Namespace created.

## What it does
Informational: records every Namespace created with the API server's acceptance, with who did it.
Falco's "K8s Namespace Created" activity rule.

## Why it matters
Namespaces are the unit of tenancy and policy; deleting one deletes everything in it. In an incident, the record of such changes says what an intruder added or removed; in normal
operation it shows changes made outside the deployment process.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "namespaces", "name": "team-b", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": "team-b"}}}
```

## Fix
Nothing to fix by itself: confirm the change was expected. Ignore the rule (`--ignore AUD029`) where
such changes are routine.

## References
- https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
- MITRE ATT&CK T1610 Deploy Container
"""

from __future__ import annotations

from kubeguard.checks.audit._activity import activity_rule

RULE = activity_rule(
    code="AUD029",
    slug="namespace-created",
    title="Namespace created",
    verbs=("create",),
    resource="namespaces",
    api_group="",
    references=("https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/",),
    mitre=("T1610",),
    aliases=("falco:K8s Namespace Created",),
)
