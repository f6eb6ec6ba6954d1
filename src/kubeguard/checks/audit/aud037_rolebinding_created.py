"""RoleBinding created.

## What it does
Informational: records every RoleBinding created with the API server's acceptance, with who did it.
Falco's "K8s RoleBinding Created" activity rule.
Panther's `Azure.MonitorActivity.Kubernetes.RoleBindingCreated` sees the same change in Azure's
activity log; this rule sees it in the cluster's own audit log (with AUD039 for cluster-wide bindings).

## Why it matters
A binding is a grant: who gets which role. In an incident, the record of such changes says what an intruder added or removed; in normal
operation it shows changes made outside the deployment process.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "rolebindings", "namespace": "shop", "name": "readers", "apiGroup": "rbac.authorization.k8s.io", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "RoleBinding", "apiVersion": "rbac.authorization.k8s.io/v1", "metadata": {"name": "readers", "namespace": "shop"}}}
```

## Fix
Nothing to fix by itself: confirm the change was expected. Ignore the rule (`--ignore AUD037`) where
such changes are routine.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/
- MITRE ATT&CK T1098.006 Additional Container Cluster Roles
"""

from __future__ import annotations

from kubeguard.checks.audit._activity import activity_rule

RULE = activity_rule(
    code="AUD037",
    slug="rolebinding-created",
    title="RoleBinding created",
    verbs=("create",),
    resource="rolebindings",
    api_group="rbac.authorization.k8s.io",
    references=("https://kubernetes.io/docs/reference/access-authn-authz/rbac/",),
    mitre=("T1098.006",),
    aliases=(
        "falco:K8s RoleBinding Created",
        "panther:Azure.MonitorActivity.Kubernetes.RoleBindingCreated",
    ),
)
