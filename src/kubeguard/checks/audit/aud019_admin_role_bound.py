"""Binding to an administrator role created.

## What it does
Alerts when a ClusterRoleBinding is created or replaced (and accepted) whose `roleRef` names a
ClusterRole in `audit.adminRoles` (default: `cluster-admin`, Falco's, and Panther's `admin`,
`system:kube-controller-manager`, `system:kube-scheduler`), and when a RoleBinding grants
`cluster-admin` in a namespace. RoleBindings to `admin` are how namespaces are normally delegated,
so only ClusterRoleBindings to it count. The message names the subjects.

A replace (`update`) counts because bindings keep their `roleRef` but may gain subjects: adding
oneself to an existing `cluster-admin` binding is the same escalation.

## Why it matters
`cluster-admin` is every permission on every resource. A new binding to it is either a deliberate
administrative change, which should be rare and reviewed, or an intruder making their access
permanent.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "mallory"},
 "objectRef": {"resource": "clusterrolebindings", "name": "backdoor",
               "apiGroup": "rbac.authorization.k8s.io", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "ClusterRoleBinding", "roleRef": {"kind": "ClusterRole", "name": "cluster-admin",
   "apiGroup": "rbac.authorization.k8s.io"},
   "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "shop"}]}}
```

## Fix
Delete the binding unless the change was approved; review what the subjects did since. Grant
narrower roles.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
- MITRE ATT&CK T1098.006 Additional Container Cluster Roles
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.checks.audit._names import target_name
from kubeguard.checks.audit._rbac import BINDING_RESOURCES, RBAC_GROUP, role_ref, stored, subjects
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

ADMIN_ROLES = "adminRoles"

#: Falco's ``cluster-admin`` and Panther's privileged cluster roles.
DEFAULT_ADMIN_ROLES = ("cluster-admin", "admin", "system:kube-controller-manager", "system:kube-scheduler")


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    obj = stored(event)
    kind, role = role_ref(obj)
    if kind != "ClusterRole":
        return None
    if event.resource == "rolebindings":
        if role != "cluster-admin":
            return None
    elif role not in ctx.allow_list(ADMIN_ROLES, DEFAULT_ADMIN_ROLES):
        return None
    binding = f"{event.namespace}/{target_name(event)}" if event.namespace else target_name(event)
    kind_label = "rolebinding" if event.resource == "rolebindings" else "clusterrolebinding"
    action = "created" if event.verb == "create" else "replaced"
    who_gets = ", ".join(subjects(obj)) or "no subjects"
    return f"{who(event)} {action} {kind_label} {binding} granting {role} to {who_gets}"


RULE = AuditRule(
    code="AUD019",
    slug="admin-role-bound",
    title="Binding to an administrator role created",
    severity=Severity.HIGH,
    on=on(verbs=("create", "update"), resources=BINDING_RESOURCES, api_groups=RBAC_GROUP),
    check=check,
    remediation="Delete the binding unless approved; grant narrower roles.",
    references=("https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles",),
    compliance={"mitre-attack": ("T1098.006",)},
    aliases=("falco:Attach to cluster-admin Role", "panther:Kubernetes.ClusterRoleBinding.Privileged"),
)
