"""Service created.

## What it does
Informational: records every Service created with the API server's acceptance, with who did it.
Falco's "K8s Service Created" activity rule.

## Why it matters
A new Service exposes pods to other workloads or beyond the cluster; one removed cuts traffic. In an incident, the record of such changes says what an intruder added or removed; in normal
operation it shows changes made outside the deployment process.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "services", "namespace": "shop", "name": "web", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Service", "apiVersion": "v1", "metadata": {"name": "web", "namespace": "shop"}}}
```

## Fix
Nothing to fix by itself: confirm the change was expected. Ignore the rule (`--ignore AUD025`) where
such changes are routine.

## References
- https://kubernetes.io/docs/concepts/services-networking/service/
- MITRE ATT&CK T1133 External Remote Services
"""

from __future__ import annotations

from kubeguard.checks.audit._activity import activity_rule

RULE = activity_rule(
    code="AUD025",
    slug="service-created",
    title="Service created",
    verbs=("create",),
    resource="services",
    api_group="",
    references=("https://kubernetes.io/docs/concepts/services-networking/service/",),
    mitre=("T1133",),
    aliases=("falco:K8s Service Created",),
)
