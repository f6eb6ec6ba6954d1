"""CronJob created or changed.

## What it does
Alerts when a CronJob is created, replaced or patched (and accepted), except by a cluster component
(`system:...` users and `kube-system` service accounts) in a system namespace (`kube-system`,
`kube-public`, `kube-node-lease`, `gke-system`). Status updates (the controller recording the last
run) are a subresource and not alerted on.

## Why it matters
A CronJob is persistence: it starts a fresh pod on a schedule, with its own service account and
volumes, long after the intruder's session is gone, and it survives the deletion of every pod it
made.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "mallory"},
 "objectRef": {"resource": "cronjobs", "namespace": "shop", "name": "cleanup", "apiGroup": "batch",
               "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "CronJob", "spec": {"schedule": "*/5 * * * *"}}}
```

## Fix
Confirm the CronJob comes from your deployment process; delete it otherwise, and check what its runs
did (their pods' logs, the service account's activity).

## References
- https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
- MITRE ATT&CK T1053.007 Container Orchestration Job
"""

from __future__ import annotations

from kubeguard.checks.audit._events import object_name, who
from kubeguard.checks.audit._principals import SYSTEM_NAMESPACES, is_system_component
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

_ACTIONS = {"create": "created", "update": "replaced", "patch": "patched"}


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    if event.namespace in SYSTEM_NAMESPACES and is_system_component(event.user.username):
        return None
    obj = event.request_object
    spec = obj.get("spec") if isinstance(obj, dict) else None
    schedule = spec.get("schedule") if isinstance(spec, dict) else None
    when = f" (schedule {schedule!r})" if isinstance(schedule, str) else ""
    return f"{who(event)} {_ACTIONS.get(event.verb, event.verb)} cronjob {object_name(event)}{when}"


RULE = AuditRule(
    code="AUD051",
    slug="cronjob-changed",
    title="CronJob created or changed",
    severity=Severity.MEDIUM,
    on=on(verbs=("create", "update", "patch"), resources="cronjobs", api_groups="batch"),
    check=check,
    remediation="Confirm the CronJob is expected; delete it otherwise and review what its runs did.",
    references=("https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/",),
    compliance={"mitre-attack": ("T1053.007",)},
    aliases=(
        "panther:Kubernetes.CronJob.CreatedOrModified",
        "panther:GCP.GKE.Kubernetes.Cron.Job.Created.Or.Modified",
        "panther:Kubernetes.CronJobCreatedOrModified",
    ),
)
