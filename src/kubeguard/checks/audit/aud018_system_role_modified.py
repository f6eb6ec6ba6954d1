"""System role created, changed or deleted.

## What it does
Alerts when a Role or ClusterRole whose name starts with `system:` (Kubernetes' bootstrap roles) or
`eks:` (EKS's) is created, replaced, patched or deleted, and the API server accepted it. Roles in
`audit.systemRoleExceptions` (default: `system:coredns` and `system:managed-certificate-controller`,
which change in normal operation) are not alerted on. Falco watches `system:` roles; Panther adds
`eks:`.

The API server itself reconciles the bootstrap roles when it starts after an upgrade; those
changes are reported too (user `system:apiserver`), as Falco does.

## Why it matters
Every component and every node is bound to the system roles. Widening one (say
`system:node` or `system:basic-user`) grants the intruder's rights to all of them quietly; deleting
one breaks components. A new role named `system:...` masquerades as a built-in.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "patch",
 "user": {"username": "mallory"},
 "objectRef": {"resource": "clusterroles", "name": "system:basic-user",
               "apiGroup": "rbac.authorization.k8s.io", "apiVersion": "v1"},
 "responseStatus": {"code": 200}}
```

## Fix
Compare the role with the bootstrap policy of your version (`kubectl auth reconcile`, or restart the
API server, which restores missing permissions but not extra ones); remove what was added.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings
- MITRE ATT&CK T1098.006 Additional Container Cluster Roles
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.checks.audit._names import target_name
from kubeguard.checks.audit._rbac import RBAC_GROUP, ROLE_RESOURCES, role_kind
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

EXCEPTIONS = "systemRoleExceptions"

#: Falco's and Panther's exceptions.
DEFAULT_EXCEPTIONS = ("system:coredns", "system:managed-certificate-controller")

_ACTIONS = {"create": "created", "update": "replaced", "patch": "patched", "delete": "deleted"}


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    name = target_name(event)
    if not name.startswith(("system:", "eks:")) or name in ctx.allow_list(EXCEPTIONS, DEFAULT_EXCEPTIONS):
        return None
    where = f" in namespace {event.namespace}" if event.namespace else ""
    return f"{who(event)} {_ACTIONS.get(event.verb, event.verb)} system {role_kind(event)} {name}{where}"


RULE = AuditRule(
    code="AUD018",
    slug="system-role-modified",
    title="System role created, changed or deleted",
    severity=Severity.MEDIUM,
    on=on(verbs=("create", "update", "patch", "delete"), resources=ROLE_RESOURCES, api_groups=RBAC_GROUP),
    check=check,
    remediation="Restore the role from the bootstrap policy; remove added permissions.",
    references=(
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings",
    ),
    compliance={"mitre-attack": ("T1098.006",)},
    aliases=("falco:System ClusterRole Modified/Deleted", "panther:Kubernetes.SystemRole.Modified"),
)
