"""Namespace created outside the allowed namespaces.

## What it does
Alerts when a namespace is created (and accepted) whose name is not in `audit.allowedNamespaces`
(names or globs; default: Falco's `allowed_namespaces`, `kube-system`, `kube-public` and
`default`). Replace the list with the namespaces your deployment process creates (for example
`team-*`) to see only the unexpected ones.

## Why it matters
A namespace nobody planned for is where an intruder puts workloads to be overlooked, or where a
team deploys outside the review process; either way it escapes policies attached to known
namespaces (quotas, network policies, Pod Security labels).

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "namespaces", "name": "tmp-mining", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Namespace", "metadata": {"name": "tmp-mining"}}}
```

## Fix
Delete the namespace unless it is expected; add expected names to `audit.allowedNamespaces`.

## References
- https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
- MITRE ATT&CK T1610 Deploy Container
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.checks.audit._names import target_name
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

ALLOWED_NAMESPACES = "allowedNamespaces"

#: Falco's ``allowed_namespaces``.
DEFAULT_ALLOWED_NAMESPACES = ("kube-system", "kube-public", "default")


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    name = target_name(event)
    if name in ctx.allow_list(ALLOWED_NAMESPACES, DEFAULT_ALLOWED_NAMESPACES):
        return None
    return f"{who(event)} created namespace {name or '(unnamed)'}, not in audit.allowedNamespaces"


RULE = AuditRule(
    code="AUD015",
    slug="disallowed-namespace",
    title="Namespace created outside the allowed namespaces",
    severity=Severity.LOW,
    on=on(verbs="create", resources="namespaces", api_groups=""),
    check=check,
    remediation="Delete the namespace unless expected; list expected names in audit.allowedNamespaces.",
    references=("https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/",),
    compliance={"mitre-attack": ("T1610",)},
    aliases=("falco:Create Disallowed Namespace",),
)
