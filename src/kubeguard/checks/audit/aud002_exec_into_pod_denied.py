"""Exec or attach into a pod denied.

## What it does
Alerts when an exec (`pods/exec`) or attach (`pods/attach`) request fails: the API server answered
400 or more (401 unauthenticated, 403 forbidden, 404 no such pod ...). Nothing ran in the container,
so this is not AUD001, but someone tried. Users in `audit.execAllowedUsers` are not alerted on.

## Why it matters
An attacker with a new credential probes what it may do; a refused exec is often the first trace
of that probing, before a permitted one succeeds.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "system:serviceaccount:shop:web"},
 "objectRef": {"resource": "pods", "namespace": "kube-system", "name": "etcd-cp-1",
               "subresource": "exec"},
 "responseStatus": {"code": 403, "reason": "Forbidden"}}
```

## Fix
Find out why this user tried to exec: a misconfigured tool, a person without the right role, or a
stolen token being probed. For a service account, check the workload it belongs to.

## References
- https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/
- MITRE ATT&CK T1609 Container Administration Command
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, Outcome, on
from kubeguard.rules.rule import Severity

ALLOWED_USERS = "execAllowedUsers"


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    if event.user.username in ctx.allow_list(ALLOWED_USERS):
        return None
    action = "exec into" if event.subresource == "exec" else "attach to"
    return f"{who(event)} tried to {action} pod {event.namespace}/{event.name}: refused with {event.code}"


RULE = AuditRule(
    code="AUD002",
    slug="exec-into-pod-denied",
    title="Exec or attach into a pod denied",
    severity=Severity.LOW,
    on=on(
        verbs=("create", "get"),
        resources="pods",
        subresources=("exec", "attach"),
        api_groups="",
        outcome=Outcome.FAILED,
    ),
    check=check,
    remediation="Find out why the user tried to exec; for a service account, inspect its workload.",
    references=("https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/",),
    compliance={"mitre-attack": ("T1609",)},
)
