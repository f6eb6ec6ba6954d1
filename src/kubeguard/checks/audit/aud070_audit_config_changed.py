"""Audit configuration changed.

## What it does
Alerts on the changes to audit logging that the audit log itself can show (accepted requests):

- a ConfigMap in `audit.auditConfigMaps` (`namespace/name`, globs allowed; default
  `kube-system/kubeadm-config`, which holds the API server's flags on kubeadm clusters, audit
  flags included) replaced, patched or deleted;
- an API server static pod (a pod created in `kube-system` by a node, whose container runs
  `kube-apiserver`) started without an audit backend: neither `--audit-log-path` nor
  `--audit-webhook-config-file` on its command line;
- an `AuditSink` (the dynamic audit backend of Kubernetes 1.13 to 1.18) created, changed or
  deleted.

The audit policy file and the backends' flags live on the control plane's disk: edits to them show
here only as the API server's restart (its static pod created again). On managed clusters (EKS,
GKE, AKS) the audit settings are the cloud provider's and appear in its own audit trail.

## Why it matters
Turning audit logging off, or down to `None` for the resources an intruder touches, blinds every
detection that reads it. The change is the last thing such a log shows.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "system:node:cp-1", "groups": ["system:nodes"]},
 "objectRef": {"resource": "pods", "namespace": "kube-system", "name": "kube-apiserver-cp-1", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Pod", "spec": {"containers": [{"name": "kube-apiserver",
   "image": "registry.k8s.io/kube-apiserver:v1.33.1",
   "command": ["kube-apiserver", "--authorization-mode=Node,RBAC"]}]}}}
```

## Fix
Restore the audit flags and policy on the control plane nodes and find who changed them; the
node's own logs (not the API server's) show the edit.

## References
- https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
- MITRE ATT&CK T1562.001 Disable or Modify Tools, T1070 Indicator Removal
"""

from __future__ import annotations

from typing import Any

from kubeguard.checks.audit._events import containers, object_name, pod_spec, who
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

CONFIG_MAPS = "auditConfigMaps"
DEFAULT_CONFIG_MAPS = ("kube-system/kubeadm-config",)

_BACKEND_FLAGS = ("--audit-log-path", "--audit-webhook-config-file")
_ACTIONS = {"create": "created", "update": "replaced", "patch": "patched", "delete": "deleted"}


def _words(container: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for field in ("command", "args"):
        value = container.get(field)
        if isinstance(value, list):
            out.extend(str(v) for v in value)
    return out


def _apiserver_without_audit(spec: dict[str, Any]) -> bool:
    for _list, _i, c in containers(spec):
        words = _words(c)
        runs_apiserver = any(w.rsplit("/", 1)[-1] == "kube-apiserver" for w in words[:3])
        image = c.get("image")
        if not runs_apiserver and isinstance(image, str) and "/kube-apiserver" in image and words:
            runs_apiserver = words[0].startswith("-") or words[0].endswith("kube-apiserver")
        if runs_apiserver:
            flags = {w.split("=", 1)[0] for w in words}
            return not any(f in flags for f in _BACKEND_FLAGS)
    return False


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    action = _ACTIONS.get(event.verb, event.verb)
    if event.resource == "auditsinks":
        return f"{who(event)} {action} audit sink {event.name or '?'}"
    if event.resource == "configmaps":
        if event.verb == "create":
            return None
        name = object_name(event)
        if name not in ctx.allow_list(CONFIG_MAPS, DEFAULT_CONFIG_MAPS):
            return None
        return f"{who(event)} {action} configmap {name}, which holds audit configuration"
    # A static pod (created by its node) of the API server without an audit backend.
    if event.verb != "create" or event.namespace != "kube-system":
        return None
    if not event.user.username.startswith("system:node:"):
        return None
    if not _apiserver_without_audit(pod_spec(event.request_object)):
        return None
    return f"API server pod {object_name(event)} started without an audit backend (no --audit-log-path or --audit-webhook-config-file)"


RULE = AuditRule(
    code="AUD070",
    slug="audit-config-changed",
    title="Audit configuration changed",
    severity=Severity.HIGH,
    on=on(
        verbs=("create", "update", "patch", "delete"),
        resources=("configmaps", "pods", "auditsinks"),
        api_groups=("", "auditregistration.k8s.io"),
    ),
    check=check,
    remediation="Restore the audit flags and policy; find who changed them.",
    references=("https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/",),
    compliance={"mitre-attack": ("T1562.001", "T1070")},
)
