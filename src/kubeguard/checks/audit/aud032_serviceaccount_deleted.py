"""ServiceAccount deleted.

## What it does
Informational: records every ServiceAccount deleted (one by `delete`, or all of a namespace by `deletecollection`) with the API server's acceptance, with who did it.
Falco's "K8s Serviceaccount Deleted" activity rule.

## Why it matters
Service accounts are identities that tokens can be minted for; new ones are new credentials. In an incident, the record of such changes says what an intruder added or removed; in normal
operation it shows changes made outside the deployment process.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "delete",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "serviceaccounts", "namespace": "shop", "name": "builder", "apiVersion": "v1"},
 "responseStatus": {"code": 200}}
```

## Fix
Nothing to fix by itself: confirm the change was expected. Ignore the rule (`--ignore AUD032`) where
such changes are routine.

## References
- https://kubernetes.io/docs/concepts/security/service-accounts/
- MITRE ATT&CK T1070 Indicator Removal
"""

from __future__ import annotations

from kubeguard.checks.audit._activity import activity_rule

RULE = activity_rule(
    code="AUD032",
    slug="serviceaccount-deleted",
    title="ServiceAccount deleted",
    verbs=(
        "delete",
        "deletecollection",
    ),
    resource="serviceaccounts",
    api_group="",
    references=("https://kubernetes.io/docs/concepts/security/service-accounts/",),
    mitre=("T1070",),
    aliases=("falco:K8s Serviceaccount Deleted",),
)
