"""Ingress without TLS.

## What it does
Flags every Ingress (`networking.k8s.io` or `extensions`) without a `spec.tls` entry.

## Why it matters
Without TLS, credentials, session cookies and data cross the network in clear text, open to
anyone on the path between the client and the ingress controller.

## Example
```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:                       # flagged: no tls
  rules:
    - host: shop.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}]}
```

## Fix
Add `spec.tls` with the hosts and a certificate Secret (cert-manager can issue one).

## References
- https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.network._ingress import ingress_spec, tls_entries
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    spec = ingress_spec(resource)
    if spec is not None and not tls_entries(spec):
        # An empty (or malformed) tls list is written down: point at it, else at the spec it is missing from.
        at = Pointer(("spec", "tls")) if "tls" in spec else Pointer(("spec",))
        yield Violation("Ingress has no spec.tls entry: traffic is served over plain HTTP", at=at)


RULE = Rule(
    code="NET011",
    slug="ingress-without-tls",
    title="Ingress serves no TLS",
    severity=Severity.MEDIUM,
    applies_to=kinds("Ingress"),
    check=check,
    remediation="Add spec.tls with the Ingress hosts and a certificate Secret.",
    references=("https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",),
)
