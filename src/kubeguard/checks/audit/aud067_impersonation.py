"""Request made by impersonating another identity.

## What it does
Alerts on every request made with impersonation headers (`kubectl --as`, `--as-group`): the event
names an `impersonatedUser`. Accepted requests alert as impersonation; refused ones (the user may
not impersonate, or the impersonated identity may not do it) as an attempt. Impersonators in
`audit.impersonators` (names or globs) are not alerted on: proxies that impersonate by design
(Rancher, Teleport, Pinniped, kube-oidc-proxy) belong there.

## Why it matters
`impersonate` is a permission to become someone else, usually someone more powerful: it bypasses
every role the user has. Where no proxy needs it, any use is an escalation, and a refused one is
someone trying.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "get",
 "user": {"username": "dev@example.com"},
 "impersonatedUser": {"username": "system:admin", "groups": ["system:masters"]},
 "objectRef": {"resource": "secrets", "namespace": "kube-system", "name": "x", "apiVersion": "v1"},
 "responseStatus": {"code": 200}}
```

## Fix
Remove the `impersonate` verb from roles that do not need it (on `users`, `groups`,
`serviceaccounts`, `userextras`, `uids`); list proxies that impersonate by design in
`audit.impersonators`.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation
- MITRE ATT&CK T1078 Valid Accounts
"""

from __future__ import annotations

from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, Outcome, on
from kubeguard.rules.rule import Severity

IMPERSONATORS = "impersonators"


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    target = event.impersonated_user
    if target is None or event.user.username in ctx.allow_list(IMPERSONATORS):
        return None
    groups = f" (groups {', '.join(target.groups)})" if target.groups else ""
    who = event.user.username or "(no user)"
    as_whom = f"{target.username or '(no user)'}{groups}"
    if event.failed:
        return f"{who} tried to act as {as_whom}: {event.verb} {event.target} refused with {event.code}"
    return f"{who} acted as {as_whom}: {event.verb} {event.target}"


RULE = AuditRule(
    code="AUD067",
    slug="impersonation",
    title="Request made by impersonating another identity",
    severity=Severity.MEDIUM,
    on=on(subresources=None, outcome=Outcome.ANY, impersonated=True),
    check=check,
    remediation="Remove impersonate from roles that do not need it; list proxies in audit.impersonators.",
    references=(
        "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation",
    ),
    compliance={"mitre-attack": ("T1078",)},
)
