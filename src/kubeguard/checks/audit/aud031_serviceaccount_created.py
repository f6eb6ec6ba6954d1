"""ServiceAccount created.

## What it does
Informational: records every ServiceAccount created with the API server's acceptance, with who did it.
Falco's "K8s Serviceaccount Created" activity rule.

## Why it matters
Service accounts are identities that tokens can be minted for; new ones are new credentials. In an incident, the record of such changes says what an intruder added or removed; in normal
operation it shows changes made outside the deployment process.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "serviceaccounts", "namespace": "shop", "name": "builder", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "ServiceAccount", "apiVersion": "v1", "metadata": {"name": "builder", "namespace": "shop"}}}
```

## Fix
Nothing to fix by itself: confirm the change was expected. Ignore the rule (`--ignore AUD031`) where
such changes are routine.

## References
- https://kubernetes.io/docs/concepts/security/service-accounts/
- MITRE ATT&CK T1136.001 Create Account: Local Account
"""

from __future__ import annotations

from kubeguard.checks.audit._activity import activity_rule

RULE = activity_rule(
    code="AUD031",
    slug="serviceaccount-created",
    title="ServiceAccount created",
    verbs=("create",),
    resource="serviceaccounts",
    api_group="",
    references=("https://kubernetes.io/docs/concepts/security/service-accounts/",),
    mitre=("T1136.001",),
    aliases=("falco:K8s Serviceaccount Created",),
)
