"""Deployment deleted.

## What it does
Informational: records every Deployment deleted (one by `delete`, or all of a namespace by `deletecollection`) with the API server's acceptance, with who did it.
Falco's "K8s Deployment Deleted" activity rule.

## Why it matters
A new Deployment runs new code in the cluster; one removed stops a service. In an incident, the record of such changes says what an intruder added or removed; in normal
operation it shows changes made outside the deployment process.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "delete",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "deployments", "namespace": "shop", "name": "web", "apiGroup": "apps", "apiVersion": "v1"},
 "responseStatus": {"code": 200}}
```

## Fix
Nothing to fix by itself: confirm the change was expected. Ignore the rule (`--ignore AUD024`) where
such changes are routine.

## References
- https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
- MITRE ATT&CK T1499 Endpoint Denial of Service
"""

from __future__ import annotations

from kubeguard.checks.audit._activity import activity_rule

RULE = activity_rule(
    code="AUD024",
    slug="deployment-deleted",
    title="Deployment deleted",
    verbs=(
        "delete",
        "deletecollection",
    ),
    resource="deployments",
    api_group="apps",
    references=("https://kubernetes.io/docs/concepts/workloads/controllers/deployment/",),
    mitre=("T1499",),
    aliases=("falco:K8s Deployment Deleted",),
)
