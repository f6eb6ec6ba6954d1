"""System identity used from outside the cluster.

## What it does
Alerts when a request made as a system identity succeeds from an address outside
`audit.clusterCidrs` (default: the private ranges, RFC 1918, RFC 6598, loopback and link-local,
and their IPv6 counterparts). System identities are service accounts
(`system:serviceaccount:...`), nodes (`system:node:...`), the control plane's components
(`system:kube-controller-manager` ...) and the cloud providers' own users (`eks:...`, `aks:...`);
not `system:anonymous` (AUD012). Users in `audit.externalSystemUsers` (default: EKS's
`eks:addon-manager` and `eks:node-manager`, which run outside the cluster's network) are not
alerted on.

If your nodes talk to the API server from public addresses (nodes in public subnets), add those
ranges to `audit.clusterCidrs`.

## Why it matters
Service account tokens and node credentials are meant to be used from inside the cluster. The same
identity calling from the internet is a stolen token in use: the classic follow-up of reading a
token out of a pod.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "list",
 "user": {"username": "system:serviceaccount:shop:web", "groups": ["system:serviceaccounts"]},
 "sourceIPs": ["198.51.100.23"], "userAgent": "curl/8.5.0",
 "objectRef": {"resource": "secrets", "namespace": "shop", "apiVersion": "v1"},
 "responseStatus": {"code": 200}}
```

## Fix
Treat the token as stolen: delete the pod (bound tokens die with it) or the token Secret, rotate
what the identity could read, and find how the token left the cluster.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/
- MITRE ATT&CK T1078 Valid Accounts, T1528 Steal Application Access Token, T1550.001 Application Access Token
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.checks.audit._net import outside_cluster
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

EXTERNAL_USERS = "externalSystemUsers"

#: EKS's managed components that run outside the cluster's network (Panther's exception).
DEFAULT_EXTERNAL_USERS = ("eks:addon-manager", "eks:node-manager")

_SYSTEM_PREFIXES = ("system:", "eks:", "aks:")


def system_identity(user: str, ctx: AuditContext) -> bool:
    """A system identity (not anonymous) that is not expected to call from outside."""
    return (
        user.startswith(_SYSTEM_PREFIXES)
        and user != "system:anonymous"
        and user not in ctx.allow_list(EXTERNAL_USERS, DEFAULT_EXTERNAL_USERS)
    )


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    # only called for the users ``system_identity`` admits
    ip = event.client_ip
    if not outside_cluster(ctx, ip) or event.user.is_anonymous:
        return None
    agent = f" ({event.user_agent})" if event.user_agent else ""
    return f"system identity {who(event)} used from {ip}{agent}: {event.verb} {event.target}"


RULE = AuditRule(
    code="AUD050",
    slug="system-identity-from-outside",
    title="System identity used from outside the cluster",
    severity=Severity.HIGH,
    on=on(subresources=None),
    check=check,
    users=system_identity,
    remediation="Treat the token as stolen: revoke it, rotate what it could read, find how it leaked.",
    references=("https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/",),
    compliance={"mitre-attack": ("T1078", "T1528", "T1550.001")},
    aliases=(
        "panther:Kubernetes.System.Principal.PublicIP",
        "panther:Amazon.EKS.Audit.SystemNamespaceFromPublicIP",
    ),
)
