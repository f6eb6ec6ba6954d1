"""Service deleted.

## What it does
Informational: records every Service deleted (one by `delete`, or all of a namespace by `deletecollection`) with the API server's acceptance, with who did it.
Falco's "K8s Service Deleted" activity rule.

## Why it matters
A new Service exposes pods to other workloads or beyond the cluster; one removed cuts traffic. In an incident, the record of such changes says what an intruder added or removed; in normal
operation it shows changes made outside the deployment process.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "delete",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "services", "namespace": "shop", "name": "web", "apiVersion": "v1"},
 "responseStatus": {"code": 200}}
```

## Fix
Nothing to fix by itself: confirm the change was expected. Ignore the rule (`--ignore AUD026`) where
such changes are routine.

## References
- https://kubernetes.io/docs/concepts/services-networking/service/
- MITRE ATT&CK T1499 Endpoint Denial of Service
"""

from __future__ import annotations

from kubeguard.checks.audit._activity import activity_rule

RULE = activity_rule(
    code="AUD026",
    slug="service-deleted",
    title="Service deleted",
    verbs=(
        "delete",
        "deletecollection",
    ),
    resource="services",
    api_group="",
    references=("https://kubernetes.io/docs/concepts/services-networking/service/",),
    mitre=("T1499",),
    aliases=("falco:K8s Service Deleted",),
)
