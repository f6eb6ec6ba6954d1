"""Many secrets read by one user.

## What it does
Alerts when one user reads secrets (`get`, `list` or `watch` on secrets, accepted) 15 times within
30 minutes, counted in a sliding window of the events' own time; one alert per burst. Cluster
components (`system:...` users other than service accounts, `kube-system` service accounts,
`eks:`/`aks:` users) and users in `audit.secretReadersAllowed` are not counted. The window keeps at
most 10,000 users and 15 times each (Panther's threshold and period).

## Why it matters
An intruder with a new token reads every secret it can reach, one after the other, to find
credentials worth more than the one they have. Workloads read the few secrets they need, rarely.

## Example
Fifteen events like this one from the same user within 30 minutes:
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "get",
 "user": {"username": "system:serviceaccount:shop:web"},
 "objectRef": {"resource": "secrets", "namespace": "shop", "name": "db-credentials", "apiVersion": "v1"},
 "responseStatus": {"code": 200}}
```

## Fix
Find which secrets the user read (AUD043 lists each read), rotate them, and revoke the user's
credential if the reads were not expected.

## References
- https://kubernetes.io/docs/concepts/security/secrets-good-practices/
- MITRE ATT&CK T1552.007 Container API, T1613 Container and Resource Discovery
"""

from __future__ import annotations

from kubeguard.checks.audit._principals import is_system_component
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, Burst, on
from kubeguard.rules.rule import Severity

ALLOWED = "secretReadersAllowed"


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    user = event.user.username
    if not user or is_system_component(user) or user in ctx.allow_list(ALLOWED):
        return None
    return user


RULE = AuditRule(
    code="AUD058",
    slug="secret-enumeration",
    title="Many secrets read by one user",
    severity=Severity.MEDIUM,
    on=on(verbs=("get", "list", "watch"), resources="secrets", api_groups=""),
    check=check,
    remediation="Rotate the secrets the user read; revoke the credential if the reads were not expected.",
    references=("https://kubernetes.io/docs/concepts/security/secrets-good-practices/",),
    compliance={"mitre-attack": ("T1552.007", "T1613")},
    aliases=("panther:Kubernetes.BulkSecretAccess", "panther:Kubernetes.SecretEnumeration"),
    burst=Burst(
        key=lambda e: e.user.username,
        threshold=15,
        window=1800,
        message="{key} read secrets {count} times within {window} s",
    ),
)
