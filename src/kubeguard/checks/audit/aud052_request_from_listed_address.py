"""Request from a listed address (off by default).

## What it does
When `audit.suspiciousSourceCidrs` is set (addresses or CIDRs: Tor exit nodes, threat
intelligence indicators, ranges you never expect), alerts on every request whose client address
(the first of `sourceIPs`) falls in one of them, whatever its outcome. Off until the list is set.
Panther's indicator rules do the same with their Tor exit node enrichment; kubeguard makes no
network requests, so the list is yours to supply (and refresh).

## Why it matters
Anonymising networks and known-bad addresses have no business talking to a cluster's API server:
a request from one is an attacker, successful or not.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "list",
 "user": {"username": "system:anonymous"}, "sourceIPs": ["185.220.101.1"],
 "objectRef": {"resource": "pods", "apiVersion": "v1"}, "responseStatus": {"code": 403}}
```

## Fix
Block the address at the API server's network edge (authorized networks, security groups), and
review what the identity behind the request did.

## References
- https://kubernetes.io/docs/concepts/security/controlling-access/
- MITRE ATT&CK T1078 Valid Accounts, T1133 External Remote Services
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.checks.audit._net import in_networks, networks
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, Outcome, on
from kubeguard.rules.rule import Severity

SUSPICIOUS_CIDRS = "suspiciousSourceCidrs"


def configured(ctx: AuditContext) -> bool:
    """Off until ``audit.suspiciousSourceCidrs`` lists a range."""
    return bool(networks(ctx, SUSPICIOUS_CIDRS))


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    ip = event.client_ip
    if not in_networks(ctx, SUSPICIOUS_CIDRS, ip):
        return None
    outcome = f" (refused with {event.code})" if event.failed else ""
    return f"request from listed address {ip} by {who(event)}: {event.verb} {event.target}{outcome}"


RULE = AuditRule(
    code="AUD052",
    slug="request-from-listed-address",
    title="Request from a listed address (off by default)",
    severity=Severity.HIGH,
    on=on(subresources=None, outcome=Outcome.ANY),
    check=check,
    enabled=configured,
    remediation="Block the address at the API server's network edge; review the identity's activity.",
    references=("https://kubernetes.io/docs/concepts/security/controlling-access/",),
    compliance={"mitre-attack": ("T1078", "T1133")},
    aliases=(
        "panther:Kubernetes.API.IOC.Activity",
        "panther:GCP.K8s.IOC.Activity",
        "panther:Kubernetes.IOCActivity",
    ),
)
