"""ConfigMap created.

## What it does
Informational: records every ConfigMap created with the API server's acceptance, with who did it.
Falco's "K8s ConfigMap Created" activity rule.

## Why it matters
ConfigMaps carry workload configuration; a changed set of them changes what runs. In an incident, the record of such changes says what an intruder added or removed; in normal
operation it shows changes made outside the deployment process.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "configmaps", "namespace": "shop", "name": "web-config", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "web-config", "namespace": "shop"}}}
```

## Fix
Nothing to fix by itself: confirm the change was expected. Ignore the rule (`--ignore AUD027`) where
such changes are routine.

## References
- https://kubernetes.io/docs/concepts/configuration/configmap/
- MITRE ATT&CK T1610 Deploy Container
"""

from __future__ import annotations

from kubeguard.checks.audit._activity import activity_rule

RULE = activity_rule(
    code="AUD027",
    slug="configmap-created",
    title="ConfigMap created",
    verbs=("create",),
    resource="configmaps",
    api_group="",
    references=("https://kubernetes.io/docs/concepts/configuration/configmap/",),
    mitre=("T1610",),
    aliases=("falco:K8s ConfigMap Created",),
)
