"""Token requested for another service account.

## What it does
Alerts when a token is requested for a service account (`create` on `serviceaccounts/token`, the
TokenRequest API behind `kubectl create token`) and the API server issued it, unless the requester
is that service account itself, a node (`system:node:...`: the kubelet requests the tokens of the
pods it runs, and the node authorizer limits it to those), or in `audit.tokenRequesters` (default:
`system:kube-controller-manager`, which requests its controllers' tokens). The message names the
audience and lifetime asked for.

## Why it matters
Whoever may create tokens for a service account becomes that account: a TokenRequest is
impersonation that leaves a credential behind, usable from anywhere until it expires (a year or
more if asked for and allowed).

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "serviceaccounts", "namespace": "kube-system", "name": "clusterrole-aggregation-controller",
               "subresource": "token", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
   "spec": {"audiences": ["https://kubernetes.default.svc"], "expirationSeconds": 31536000}}}
```

## Fix
Find out why the token was issued. Tokens not bound to a pod stay valid until they expire: delete
and recreate the service account to invalidate them (its UID changes), and remove `create` on
`serviceaccounts/token` from roles that do not need it.

## References
- https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/
- https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/
- MITRE ATT&CK T1528 Steal Application Access Token, T1550.001 Application Access Token
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

REQUESTERS = "tokenRequesters"
DEFAULT_REQUESTERS = ("system:kube-controller-manager",)


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    user = event.user
    if user.service_account == (event.namespace, event.name):
        return None
    if user.username.startswith("system:node:") or user.username in ctx.allow_list(
        REQUESTERS, DEFAULT_REQUESTERS
    ):
        return None
    obj = event.request_object
    spec = obj.get("spec") if isinstance(obj, dict) else None
    details = []
    if isinstance(spec, dict):
        audiences = spec.get("audiences")
        if isinstance(audiences, list) and audiences:
            details.append("audiences " + ", ".join(str(a) for a in audiences))
        seconds = spec.get("expirationSeconds")
        if isinstance(seconds, int):
            details.append(f"valid {seconds} s")
        bound = spec.get("boundObjectRef")
        if isinstance(bound, dict):
            details.append(f"bound to {bound.get('kind')} {bound.get('name')}")
    extra = f" ({'; '.join(details)})" if details else ""
    return f"{who(event)} obtained a token for service account {event.namespace}/{event.name}{extra}"


RULE = AuditRule(
    code="AUD060",
    slug="token-for-other-account",
    title="Token requested for another service account",
    severity=Severity.MEDIUM,
    on=on(verbs="create", resources="serviceaccounts", subresources="token", api_groups=""),
    check=check,
    remediation="Find out why; recreate the service account to invalidate unbound tokens; restrict "
    "serviceaccounts/token.",
    references=(
        "https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/",
    ),
    compliance={"mitre-attack": ("T1528", "T1550.001")},
    aliases=("panther:Kubernetes.ServiceAccount.TokenCreated",),
)
