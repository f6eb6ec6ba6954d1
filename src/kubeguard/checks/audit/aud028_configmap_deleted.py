"""ConfigMap deleted.

## What it does
Informational: records every ConfigMap deleted (one by `delete`, or all of a namespace by `deletecollection`) with the API server's acceptance, with who did it.
Falco's "K8s ConfigMap Deleted" activity rule.

## Why it matters
ConfigMaps carry workload configuration; a changed set of them changes what runs. In an incident, the record of such changes says what an intruder added or removed; in normal
operation it shows changes made outside the deployment process.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "delete",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "configmaps", "namespace": "shop", "name": "web-config", "apiVersion": "v1"},
 "responseStatus": {"code": 200}}
```

## Fix
Nothing to fix by itself: confirm the change was expected. Ignore the rule (`--ignore AUD028`) where
such changes are routine.

## References
- https://kubernetes.io/docs/concepts/configuration/configmap/
- MITRE ATT&CK T1485 Data Destruction
"""

from __future__ import annotations

from kubeguard.checks.audit._activity import activity_rule

RULE = activity_rule(
    code="AUD028",
    slug="configmap-deleted",
    title="ConfigMap deleted",
    verbs=(
        "delete",
        "deletecollection",
    ),
    resource="configmaps",
    api_group="",
    references=("https://kubernetes.io/docs/concepts/configuration/configmap/",),
    mitre=("T1485",),
    aliases=("falco:K8s ConfigMap Deleted",),
)
