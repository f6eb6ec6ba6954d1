"""Admission control changed.

## What it does
Alerts when an admission webhook configuration (mutating or validating) or an admission policy or
its binding (`ValidatingAdmissionPolicy`, `MutatingAdmissionPolicy`) is created, replaced, patched
or deleted, and the API server accepted it. Users in `audit.admissionManagers` (names or globs;
add tools that manage them, such as cert-manager's cainjector, which patches `caBundle`) are not
alerted on. kubeguard's own webhook (`audit.kubeguardWebhooks`) is AUD069's. Panther's rule sees
creations only; changes and deletions disable controls just as well.

## Why it matters
Admission control is where policy is enforced: deleting a validating webhook or setting it to fail
open turns the policy off, and a new mutating webhook sees (and can change) every object sent to the
cluster, secrets included, including injecting containers into every new pod.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "delete",
 "user": {"username": "mallory"},
 "objectRef": {"resource": "validatingwebhookconfigurations", "name": "gatekeeper-validating-webhook-configuration",
               "apiGroup": "admissionregistration.k8s.io", "apiVersion": "v1"},
 "responseStatus": {"code": 200}}
```

## Fix
Confirm the change came from the policy engine's own deployment; restore the configuration
otherwise and review what was admitted meanwhile.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/
- https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
- MITRE ATT&CK T1562.001 Disable or Modify Tools
"""

from __future__ import annotations

from kubeguard.checks.audit._admission import (
    ADMISSION_GROUP,
    ADMISSION_RESOURCES,
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
    name = target_name(event)
    if is_own_webhook(event, name, ctx) or event.user.username in ctx.allow_list(MANAGERS):
        return None
    fail_open = failure_policy_ignore(event.request_object)
    extra = f" (failing open: {', '.join(fail_open)})" if fail_open else ""
    return f"{who(event)} {describe(event, name)}{extra}"


RULE = AuditRule(
    code="AUD068",
    slug="admission-control-changed",
    title="Admission control changed",
    severity=Severity.MEDIUM,
    on=on(
        verbs=("create", "update", "patch", "delete", "deletecollection"),
        resources=ADMISSION_RESOURCES,
        api_groups=ADMISSION_GROUP,
    ),
    check=check,
    remediation="Confirm the change came from the policy engine's deployment; restore it otherwise.",
    references=("https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/",),
    compliance={"mitre-attack": ("T1562.001",)},
    aliases=(
        "panther:Kubernetes.AdmissionController.Created",
        "panther:Kubernetes.NewAdmissionControllerCreated",
    ),
)
