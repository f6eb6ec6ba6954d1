"""Secret read denied.

## What it does
Alerts when a `get` of a Secret fails (the API server answered 400 or more: 403 forbidden, 404 no
such secret, 401 unauthenticated): someone tried to read a credential they could not. Users in
`audit.secretReadDeniedAllowedUsers` (names or globs) are not alerted on.

## Why it matters
Guessing secret names and probing which ones a stolen token can read is how credential hunting
starts; a legitimate workload does not usually ask for secrets it may not read.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "get",
 "user": {"username": "system:serviceaccount:shop:web"},
 "objectRef": {"resource": "secrets", "namespace": "kube-system", "name": "admin-token", "apiVersion": "v1"},
 "responseStatus": {"code": 403, "reason": "Forbidden"}}
```

## Fix
Find out why the identity asked for the secret: a misconfigured workload, or a token being used by
someone else. For a service account, check the workload it belongs to.

## References
- https://kubernetes.io/docs/concepts/configuration/secret/
- MITRE ATT&CK T1552.007 Container API, T1613 Container and Resource Discovery
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, Outcome, on
from kubeguard.rules.rule import Severity

ALLOWED_USERS = "secretReadDeniedAllowedUsers"


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    if event.user.username in ctx.allow_list(ALLOWED_USERS):
        return None
    return f"{who(event)} tried to read secret {event.namespace}/{event.name}: refused with {event.code}"


RULE = AuditRule(
    code="AUD044",
    slug="secret-read-denied",
    title="Secret read denied",
    severity=Severity.LOW,
    on=on(verbs="get", resources="secrets", api_groups="", outcome=Outcome.FAILED),
    check=check,
    remediation="Find out why the identity asked for a secret it may not read.",
    references=("https://kubernetes.io/docs/concepts/configuration/secret/",),
    compliance={"mitre-attack": ("T1552.007", "T1613")},
    aliases=("falco:K8s Secret Get Unsuccessfully Tried", "panther:Kubernetes.Secret.AccessDenied"),
)
