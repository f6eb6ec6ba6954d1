"""Exec into a pod from outside the cluster's networks.

## What it does
Alerts when an exec or attach into a pod is accepted and its client address (the first of
`sourceIPs`) is outside `audit.clusterCidrs` (default: the private ranges, RFC 1918, RFC 6598,
loopback and link-local, and their IPv6 counterparts). Set `audit.clusterCidrs` to your nodes',
pods' and administrators' networks (VPN, bastion) to see every exec from anywhere else.

AUD001 reports every exec; this rule singles out the ones whose origin is unexpected.

## Why it matters
People and automation that may exec into pods work from known networks. An exec from an unknown
address is a stolen credential used from the attacker's own machine.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseStarted", "verb": "create",
 "user": {"username": "dev@example.com"}, "sourceIPs": ["198.51.100.23"],
 "requestURI": "/api/v1/namespaces/shop/pods/web-0/exec?command=sh&container=web&stdin=true&tty=true",
 "objectRef": {"resource": "pods", "namespace": "shop", "name": "web-0", "subresource": "exec",
               "apiVersion": "v1"},
 "responseStatus": {"code": 101}}
```

## Fix
Confirm with the user where they worked from; revoke the credential if it was not them. Restrict the
API server's network exposure (authorized networks, a private endpoint).

## References
- https://kubernetes.io/docs/concepts/security/controlling-access/#transport-security
- MITRE ATT&CK T1609 Container Administration Command, T1133 External Remote Services
"""

from __future__ import annotations

from kubeguard.checks.audit._events import exec_program, who
from kubeguard.checks.audit._net import outside_cluster
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    ip = event.client_ip
    if not outside_cluster(ctx, ip):
        return None
    action = "exec into" if event.subresource == "exec" else "attach to"
    program = exec_program(event)
    running = f" running {program!r}" if program else ""
    return f"{who(event)} opened {action} pod {event.namespace}/{event.name}{running} from {ip}, outside audit.clusterCidrs"


RULE = AuditRule(
    code="AUD071",
    slug="exec-from-outside-cluster",
    title="Exec into a pod from outside the cluster's networks",
    severity=Severity.MEDIUM,
    on=on(verbs=("create", "get"), resources="pods", subresources=("exec", "attach"), api_groups=""),
    check=check,
    remediation="Confirm the user's location; revoke the credential if not theirs; restrict API server exposure.",
    references=("https://kubernetes.io/docs/concepts/security/controlling-access/#transport-security",),
    compliance={"mitre-attack": ("T1609", "T1133")},
)
