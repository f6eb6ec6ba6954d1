"""Ingress created without TLS.

## What it does
Alerts when an Ingress (`networking.k8s.io`, or the old `extensions` group) is created (and
accepted) without a `spec.tls` section, or with an empty one. Ingresses in `audit.plainIngresses`
(`namespace/name`, globs allowed; default none) are not alerted on.

## Why it matters
Without TLS the ingress serves plain HTTP: sessions, credentials and data cross the network
unencrypted and can be read or altered on the way.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "ingresses", "namespace": "shop", "name": "web",
               "apiGroup": "networking.k8s.io", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Ingress", "spec": {"rules": [{"host": "shop.example.com"}]}}}
```

## Fix
Add a `tls` section with a certificate for the hosts (for example issued by cert-manager), or list
the ingress in `audit.plainIngresses` when it is deliberately plain HTTP (a redirect to HTTPS).

## References
- https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
- MITRE ATT&CK T1552 Unsecured Credentials
"""

from __future__ import annotations

from kubeguard.checks.audit._events import object_name, who
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

PLAIN_INGRESSES = "plainIngresses"


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    obj = event.request_object
    if not isinstance(obj, dict):
        return None  # the body was not logged (Metadata level): nothing to judge
    spec = obj.get("spec")
    if isinstance(spec, dict) and spec.get("tls"):
        return None
    name = object_name(event)
    if name in ctx.allow_list(PLAIN_INGRESSES):
        return None
    return f"{who(event)} created ingress {name} without TLS"


RULE = AuditRule(
    code="AUD047",
    slug="ingress-without-tls-created",
    title="Ingress created without TLS",
    severity=Severity.LOW,
    on=on(verbs="create", resources="ingresses", api_groups=("networking.k8s.io", "extensions")),
    check=check,
    remediation="Add a tls section with a certificate for the ingress hosts.",
    references=("https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",),
    compliance={"mitre-attack": ("T1552",)},
    aliases=("falco:Ingress Object without TLS Certificate Created", "panther:Kubernetes.Ingress.NoTLS"),
)
