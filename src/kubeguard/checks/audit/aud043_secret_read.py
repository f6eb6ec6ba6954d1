"""Secret read.

## What it does
Informational: records every successful `get` of a Secret, with who read which one. Falco's "K8s
Secret Get Successfully" rule, which Falco rates ERROR; kubeguard rates it info because it matches
every read, including the controllers and operators that read secrets all day. The reads that
deserve attention on their own are reported by AUD058 (one user reading many secrets in a short
time) and AUD059 (listing secrets across all namespaces).

## Why it matters
Reading a Secret is reading a credential. In an incident, the record of which secrets an identity
read says which credentials must be rotated.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "get",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "secrets", "namespace": "shop", "name": "db-credentials", "apiVersion": "v1"},
 "responseStatus": {"code": 200}}
```

## Fix
Nothing to fix by itself: confirm the read was expected. Ignore the rule (`--ignore AUD043`) where
the volume is too high, and rely on AUD058 and AUD059.

## References
- https://kubernetes.io/docs/concepts/configuration/secret/
- MITRE ATT&CK T1552.007 Container API
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    return f"{who(event)} read secret {event.namespace}/{event.name}"


RULE = AuditRule(
    code="AUD043",
    slug="secret-read",
    title="Secret read",
    severity=Severity.INFO,
    on=on(verbs="get", resources="secrets", api_groups=""),
    check=check,
    remediation="Informational: confirm the read was expected.",
    references=("https://kubernetes.io/docs/concepts/configuration/secret/",),
    compliance={"mitre-attack": ("T1552.007",)},
    aliases=("falco:K8s Secret Get Successfully",),
)
