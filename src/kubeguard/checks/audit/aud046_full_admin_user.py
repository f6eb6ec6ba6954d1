"""Request by a default administrator user (off by default).

## What it does
When `audit.fullAdminUsers` is set (names or globs), alerts on every request (failed ones too) by
one of those users. Off until then, as Falco's "Full K8s Administrative Access" (disabled by its
`allowed_full_admin_users` macro); Falco's list of such names, to copy into the setting, is
`admin`, `kubernetes-admin`, `kubernetes-admin@kubernetes`, `kubernetes-admin@cluster.local` and
`minikube-user`. Users named `system:...` are never judged.

## Why it matters
Installers create an administrator credential (kubeadm's `admin.conf`, minikube's user) with
unrestricted access that cannot be revoked short of rotating the cluster's CA. Using it for daily
work, or seeing it used at all after setup, means that credential is in circulation.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "kubernetes-admin", "groups": ["system:masters", "system:authenticated"]},
 "objectRef": {"resource": "namespaces", "name": "rule-test", "apiVersion": "v1"},
 "responseStatus": {"code": 201}}
```

## Fix
Give people individual identities with the roles they need, keep the installer's credential offline
(kubeadm's `super-admin.conf` exists for break-glass use), and find out who used it.

## References
- https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/kubeadm-certs/#kubeconfig-additional-users
- MITRE ATT&CK T1078.001 Default Accounts
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, Outcome, on
from kubeguard.rules.rule import Severity

ADMIN_USERS = "fullAdminUsers"


def configured(ctx: AuditContext) -> bool:
    """An empty list (the default) matches nobody: the rule is off until administrators are listed."""
    return bool(ctx.allow_list(ADMIN_USERS))


def listed(user: str, ctx: AuditContext) -> bool:
    return not user.startswith("system:") and user in ctx.allow_list(ADMIN_USERS)


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    # only called for the users ``listed`` admits
    return f"{who(event)}, a default administrator, made a request: {event.verb} {event.target}"


RULE = AuditRule(
    code="AUD046",
    slug="full-admin-user",
    title="Request by a default administrator user (off by default)",
    severity=Severity.MEDIUM,
    on=on(subresources=None, outcome=Outcome.ANY),
    check=check,
    users=listed,
    enabled=configured,
    remediation="Use individual identities; keep the installer's admin credential offline.",
    references=(
        "https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/kubeadm-certs/#kubeconfig-additional-users",
    ),
    compliance={"mitre-attack": ("T1078.001",)},
    aliases=("falco:Full K8s Administrative Access",),
)
