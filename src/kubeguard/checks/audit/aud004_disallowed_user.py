"""Request by a user outside the allowed users.

## What it does
Alerts on every request made by a user that is neither a system identity (a name starting with
`system:`: nodes, controllers, service accounts, anonymous) nor in `audit.allowedUsers` (names or
globs). The default list is Falco's `allowed_k8s_users` and `eks_allowed_k8s_users`: the admin and
component users of common installers (kubeadm's `kubernetes-admin`, kops, minikube) and EKS's own
controllers. Failed requests count too: trying is already using the cluster.

Replace the list with the people and automation that should talk to your cluster; until then the
rule reports every human user, as Falco's does.

## Why it matters
In a cluster whose users are known, a new name is a stolen or forgotten credential, or an identity
provider that lets in more people than intended.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "list",
 "user": {"username": "mallory@example.com", "groups": ["system:authenticated"]},
 "objectRef": {"resource": "secrets", "namespace": "shop", "apiVersion": "v1"},
 "responseStatus": {"code": 200}}
```

## Fix
If the user is expected, add it to `audit.allowedUsers` in `.kubeguard.yaml`. If not, find where
the credential came from (certificate, token, identity provider), revoke it, and review what the
user did.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/authentication/
- MITRE ATT&CK T1078 Valid Accounts
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, Outcome, on
from kubeguard.rules.rule import Severity

ALLOWED_USERS = "allowedUsers"

#: Falco's ``allowed_k8s_users`` (with ``vertical_pod_autoscaler_users`` expanded) and
#: ``eks_allowed_k8s_users``.
DEFAULT_ALLOWED_USERS = (
    "minikube",
    "minikube-user",
    "kubelet",
    "kops",
    "admin",
    "kube",
    "kube-proxy",
    "kube-apiserver-healthcheck",
    "kubernetes-admin",
    "vpa-recommender",
    "vpa-updater",
    "cluster-autoscaler",
    "system:addon-manager",
    "cloud-controller-manager",
    "system:kube-controller-manager",
    "eks:node-manager",
    "eks:certificate-controller",
    "eks:fargate-scheduler",
    "eks:k8s-metrics",
    "eks:authenticator",
    "eks:cluster-event-watcher",
    "eks:nodewatcher",
    "eks:pod-identity-mutating-webhook",
    "eks:cloud-controller-manager",
    "eks:vpc-resource-controller",
    "eks:addon-manager",
)


def disallowed(user: str, ctx: AuditContext) -> bool:
    """A named user that is neither a system identity nor in the allowed users."""
    return (
        bool(user)
        and not user.startswith("system:")
        and user not in ctx.allow_list(ALLOWED_USERS, DEFAULT_ALLOWED_USERS)
    )


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    # only called for the users ``disallowed`` admits
    outcome = f" (refused with {event.code})" if event.failed else ""
    return f"{who(event)} is not an allowed user: {event.verb} {event.target}{outcome}"


RULE = AuditRule(
    code="AUD004",
    slug="disallowed-user",
    title="Request by a user outside the allowed users",
    severity=Severity.MEDIUM,
    on=on(subresources=None, outcome=Outcome.ANY),
    check=check,
    users=disallowed,
    remediation="List the expected users in audit.allowedUsers; revoke unknown credentials.",
    references=("https://kubernetes.io/docs/reference/access-authn-authz/authentication/",),
    compliance={"mitre-attack": ("T1078",)},
    aliases=("falco:Disallowed K8s User",),
)
