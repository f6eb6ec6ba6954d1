"""Every audit event (off by default).

## What it does
When `audit.allEvents: true` is set, alerts at info severity on every audit event that reaches the
rules (one per request: the engine skips `RequestReceived` and the `ResponseComplete` of a
long-running request already seen at `ResponseStarted`), failed requests included. Off otherwise,
as Falco's "All K8s Audit Events" (disabled by its `consider_all_events` macro).

## Why it matters
Turning every event into an alert is for forwarding the whole audit trail through kubeguard's
outputs (jsonl, the receiver's webhook) to a log store, or for debugging an audit policy; it is
not a detection.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "get",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "configmaps", "namespace": "shop", "name": "web", "apiVersion": "v1"},
 "responseStatus": {"code": 200}}
```

## Fix
Nothing to fix: set `audit.allEvents: false` (or remove it) to turn the rule off.

## References
- https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
- MITRE ATT&CK T1613 Container and Resource Discovery
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, Outcome, on
from kubeguard.rules.rule import Severity

ALL_EVENTS = "allEvents"


def configured(ctx: AuditContext) -> bool:
    return ctx.setting(ALL_EVENTS) is True


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    outcome = f" ({event.code})" if event.code is not None else ""
    return f"{who(event)} {event.verb} {event.target}{outcome}"


RULE = AuditRule(
    code="AUD045",
    slug="all-events",
    title="Every audit event (off by default)",
    severity=Severity.INFO,
    on=on(subresources=None, outcome=Outcome.ANY),
    check=check,
    enabled=configured,
    remediation="Informational: turn off with audit.allEvents: false.",
    references=("https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/",),
    compliance={"mitre-attack": ("T1613",)},
    aliases=("falco:All K8s Audit Events",),
)
