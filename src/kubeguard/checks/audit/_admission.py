"""What the admission-control rules share: which resources configure admission, and which of them
are kubeguard's own webhook."""

from __future__ import annotations

from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext

ADMISSION_GROUP = "admissionregistration.k8s.io"
#: Objects that decide admission: webhooks and the in-process admission policies (CEL).
ADMISSION_RESOURCES = (
    "mutatingwebhookconfigurations",
    "validatingwebhookconfigurations",
    "validatingadmissionpolicies",
    "validatingadmissionpolicybindings",
    "mutatingadmissionpolicies",
    "mutatingadmissionpolicybindings",
)
WEBHOOK_RESOURCES = ADMISSION_RESOURCES[:2]

#: ``.kubeguard.yaml`` ``audit.kubeguardWebhooks``: names of kubeguard's own webhook configurations.
OWN_WEBHOOKS = "kubeguardWebhooks"
DEFAULT_OWN_WEBHOOKS = ("kubeguard", "kubeguard-*")

_KIND = {
    "mutatingwebhookconfigurations": "mutating webhook configuration",
    "validatingwebhookconfigurations": "validating webhook configuration",
    "validatingadmissionpolicies": "validating admission policy",
    "validatingadmissionpolicybindings": "validating admission policy binding",
    "mutatingadmissionpolicies": "mutating admission policy",
    "mutatingadmissionpolicybindings": "mutating admission policy binding",
}
_ACTIONS = {"create": "created", "update": "replaced", "patch": "patched", "delete": "deleted"}


def is_own_webhook(event: AuditEvent, name: str, ctx: AuditContext) -> bool:
    return event.resource in WEBHOOK_RESOURCES and name in ctx.allow_list(OWN_WEBHOOKS, DEFAULT_OWN_WEBHOOKS)


def describe(event: AuditEvent, name: str) -> str:
    if event.verb == "deletecollection":
        return f"deleted every {_KIND.get(event.resource, event.resource)}"
    return f"{_ACTIONS.get(event.verb, event.verb)} {_KIND.get(event.resource, event.resource)} {name or '?'}"


def failure_policy_ignore(obj: object) -> list[str]:
    """Names of the webhooks of a configuration that fail open (``failurePolicy: Ignore``)."""
    hooks = obj.get("webhooks") if isinstance(obj, dict) else None
    return [
        str(h.get("name"))
        for h in (hooks if isinstance(hooks, list) else [])
        if isinstance(h, dict) and h.get("failurePolicy") == "Ignore"
    ]
