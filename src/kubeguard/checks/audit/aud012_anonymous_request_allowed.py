"""Anonymous request allowed.

## What it does
Alerts when the API server authorized a request from an unauthenticated client (user
`system:anonymous` or group `system:unauthenticated`): the `authorization.k8s.io/decision`
annotation says `allow` (or, when an export dropped the annotations, the request did not fail).
Health checks (`/healthz`, `/livez`, `/readyz` and their sub-paths) are not alerted on. `/version`
is, as Falco does: it tells an attacker which vulnerabilities apply.

## Why it matters
Anonymous access is how internet scanners find open clusters. Anything beyond health checks means a
binding grants permissions to `system:anonymous` or `system:unauthenticated`, and anyone who can
reach the API server has them.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "list",
 "user": {"username": "system:anonymous", "groups": ["system:unauthenticated"]},
 "sourceIPs": ["203.0.113.7"], "requestURI": "/api/v1/pods",
 "objectRef": {"resource": "pods", "apiVersion": "v1"}, "responseStatus": {"code": 200},
 "annotations": {"authorization.k8s.io/decision": "allow",
   "authorization.k8s.io/reason": "RBAC: allowed by ClusterRoleBinding \"oops\""}}
```

## Fix
Remove the bindings that grant anything to `system:anonymous` or `system:unauthenticated` (see the
`authorization.k8s.io/reason` annotation), and consider `--anonymous-auth=false` or an
`AuthenticationConfiguration` that limits anonymous access to health endpoints.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests
- MITRE ATT&CK T1078.001 Default Accounts, T1190 Exploit Public-Facing Application
"""

from __future__ import annotations

from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, Outcome, on
from kubeguard.rules.rule import Severity

_HEALTH = ("/healthz", "/livez", "/readyz")


def _health_check(uri: str) -> bool:
    path = uri.split("?", 1)[0]
    return any(path == h or path.startswith(h + "/") for h in _HEALTH)


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    if _health_check(event.request_uri):  # only anonymous requests are dispatched here
        return None
    decision = event.decision
    if decision != "allow" and (decision or event.failed):
        return None
    source = f" from {event.source_ips[0]}" if event.source_ips else ""
    return f"anonymous request{source} allowed: {event.verb} {event.request_uri or event.target}"


RULE = AuditRule(
    code="AUD012",
    slug="anonymous-request-allowed",
    title="Anonymous request allowed",
    severity=Severity.HIGH,
    on=on(subresources=None, outcome=Outcome.ANY, anonymous=True),
    check=check,
    remediation="Remove bindings to system:anonymous and system:unauthenticated; restrict anonymous auth.",
    references=(
        "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests",
    ),
    compliance={"mitre-attack": ("T1078.001", "T1190")},
    aliases=(
        "falco:Anonymous Request Allowed",
        "panther:Kubernetes.API.AnonymousAccess",
        "panther:Amazon.EKS.AnonymousAPIAccess",
        "panther:Kubernetes.UnauthenticatedAPIRequest",
    ),
)
