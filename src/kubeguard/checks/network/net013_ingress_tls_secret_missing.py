"""Ingress TLS secret missing.

## What it does
Flags a `spec.tls[].secretName` that names no Secret in the Ingress namespace. It is judged only
where the input's Secrets of that namespace can be taken as complete: the input holds at least one
Secret in the namespace. Secrets that cert-manager will create are not missing: those named by a
`Certificate` (`spec.secretName`) in the input, and every TLS secret of an Ingress annotated with
`cert-manager.io/issuer` or `cert-manager.io/cluster-issuer`. A TLS entry without `secretName` is
not flagged (controllers use their default certificate).

## Why it matters
With the Secret missing the controller serves its default certificate: clients see certificate
errors, and users learn to click through them.

## Example
```yaml
spec:
  tls:
    - hosts: [shop.example.com]
      secretName: shop-tls      # flagged when the namespace's Secrets are in the input but not shop-tls
```

## Fix
Create the Secret (type `kubernetes.io/tls`), fix the name, or let cert-manager issue it.

## References
- https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
- https://cert-manager.io/docs/usage/ingress/
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.network._common import analysis
from kubeguard.checks.network._ingress import ingress_spec
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds

CERT_MANAGER_ANNOTATIONS = ("cert-manager.io/issuer", "cert-manager.io/cluster-issuer")


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    spec = ingress_spec(resource)
    if spec is None or any(resource.annotations.get(a) for a in CERT_MANAGER_ANNOTATIONS):
        return
    namespace = resource.effective_namespace or "default"
    a = analysis(ctx)
    if namespace not in a.namespaces_with_secrets:
        return
    raw_tls = spec.get("tls")
    tls = raw_tls if isinstance(raw_tls, list) else []
    for i, entry in enumerate(tls):
        name = entry.get("secretName") if isinstance(entry, dict) else None
        if not name:
            continue
        if (
            ctx.find("Secret", namespace, str(name)) is None
            and (namespace, str(name)) not in a.certificate_secrets
        ):
            yield Violation(
                f"TLS secret {name!r} is not in namespace {namespace!r} (its other Secrets are in the input)",
                at=Pointer(("spec", "tls", i, "secretName")),
            )


RULE = Rule(
    code="NET013",
    slug="ingress-tls-secret-missing",
    title="Ingress TLS secret missing",
    severity=Severity.MEDIUM,
    needs=("the Ingress's TLS Secret",),
    applies_to=kinds("Ingress"),
    check=check,
    remediation="Create the kubernetes.io/tls Secret named by spec.tls[].secretName, or fix the name.",
    references=("https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",),
)
