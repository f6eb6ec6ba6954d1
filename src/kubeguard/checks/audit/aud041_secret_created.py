"""Secret created.

## What it does
Informational: records every Secret created with the API server's acceptance, with who did it.
Falco's "K8s Secret Created" activity rule.
As in Falco's rule, requests by users named `system:...` (controllers, nodes, service accounts)
and secrets in `kube-system` are not alerted on: controllers manage secrets there all the time.

## Why it matters
Secrets hold credentials; a new `kubernetes.io/service-account-token` Secret mints a token that never expires. In an incident, the record of such changes says what an intruder added or removed; in normal
operation it shows changes made outside the deployment process.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "secrets", "namespace": "shop", "name": "db-credentials", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Secret", "apiVersion": "v1", "metadata": {"name": "db-credentials", "namespace": "shop"}}}
```

## Fix
Nothing to fix by itself: confirm the change was expected. Ignore the rule (`--ignore AUD041`) where
such changes are routine.

## References
- https://kubernetes.io/docs/concepts/configuration/secret/
- MITRE ATT&CK T1528 Steal Application Access Token
"""

from __future__ import annotations

from kubeguard.checks.audit._activity import activity_rule

RULE = activity_rule(
    code="AUD041",
    slug="secret-created",
    title="Secret created",
    verbs=("create",),
    resource="secrets",
    api_group="",
    references=("https://kubernetes.io/docs/concepts/configuration/secret/",),
    mitre=("T1528",),
    aliases=("falco:K8s Secret Created",),
    system_users=False,
    kube_system=False,
)
