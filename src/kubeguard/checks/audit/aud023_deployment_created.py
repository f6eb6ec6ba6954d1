"""Deployment created.

## What it does
Informational: records every Deployment created with the API server's acceptance, with who did it.
Falco's "K8s Deployment Created" activity rule.

## Why it matters
A new Deployment runs new code in the cluster; one removed stops a service. In an incident, the record of such changes says what an intruder added or removed; in normal
operation it shows changes made outside the deployment process.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "deployments", "namespace": "shop", "name": "web", "apiGroup": "apps", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {"name": "web", "namespace": "shop"}}}
```

## Fix
Nothing to fix by itself: confirm the change was expected. Ignore the rule (`--ignore AUD023`) where
such changes are routine.

## References
- https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
- MITRE ATT&CK T1610 Deploy Container
"""

from __future__ import annotations

from kubeguard.checks.audit._activity import activity_rule

RULE = activity_rule(
    code="AUD023",
    slug="deployment-created",
    title="Deployment created",
    verbs=("create",),
    resource="deployments",
    api_group="apps",
    references=("https://kubernetes.io/docs/concepts/workloads/controllers/deployment/",),
    mitre=("T1610",),
    aliases=("falco:K8s Deployment Created",),
)
