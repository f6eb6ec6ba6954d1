"""kubeguard's admission webhook changed or deleted.

## What it does
Alerts when kubeguard's own webhook configuration (a validating or mutating webhook configuration
named in `audit.kubeguardWebhooks`; default `kubeguard` and `kubeguard-*`, the names `kubeguard
webhook manifests` uses) is replaced, patched or deleted, and the API server accepted it, or when
every webhook configuration is deleted at once. The message says when the new configuration fails
open (`failurePolicy: Ignore`). Users in `audit.admissionManagers` (cert-manager's cainjector, which
rotates the `caBundle`) are not alerted on.

## Why it matters
Turning off the control that watches you is the first step of a careful intruder: without the
webhook, privileged pods and other denied objects are admitted silently. The audit log records the
change even when the webhook is gone.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "patch",
 "user": {"username": "mallory"},
 "objectRef": {"resource": "validatingwebhookconfigurations", "name": "kubeguard",
               "apiGroup": "admissionregistration.k8s.io", "apiVersion": "v1"},
 "responseStatus": {"code": 200},
 "requestObject": {"webhooks": [{"name": "validate.kubeguard.io", "failurePolicy": "Ignore"}]}}
```

## Fix
Re-apply kubeguard's manifests (`kubeguard webhook manifests | kubectl apply -f -`), find who made
the change, and review what was admitted meanwhile (`kubeguard scan --cluster`).

## References
- https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#failure-policy
- MITRE ATT&CK T1562.001 Disable or Modify Tools
"""

from __future__ import annotations

from kubeguard.checks.audit._admission import (
    ADMISSION_GROUP,
    WEBHOOK_RESOURCES,
    describe,
    failure_policy_ignore,
    is_own_webhook,
)
from kubeguard.checks.audit._events import who
from kubeguard.checks.audit._names import target_name
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

MANAGERS = "admissionManagers"


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    if event.user.username in ctx.allow_list(MANAGERS):
        return None
    name = target_name(event)
    if event.verb != "deletecollection" and not is_own_webhook(event, name, ctx):
        return None
    fail_open = failure_policy_ignore(event.request_object)
    extra = f" (now failing open: {', '.join(fail_open)})" if fail_open else ""
    return f"{who(event)} {describe(event, name)}: kubeguard's admission webhook{extra}"


RULE = AuditRule(
    code="AUD069",
    slug="kubeguard-webhook-changed",
    title="kubeguard's admission webhook changed or deleted",
    severity=Severity.HIGH,
    on=on(
        verbs=("update", "patch", "delete", "deletecollection"),
        resources=WEBHOOK_RESOURCES,
        api_groups=ADMISSION_GROUP,
    ),
    check=check,
    remediation="Re-apply kubeguard's webhook manifests; find who changed them.",
    references=(
        "https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#failure-policy",
    ),
    compliance={"mitre-attack": ("T1562.001",)},
)
