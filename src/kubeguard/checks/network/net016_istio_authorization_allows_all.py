"""Istio AuthorizationPolicy that allows every request.

## What it does
Flags an Istio `AuthorizationPolicy` with action `ALLOW` (the default) containing a rule without
`from`, `to` and `when`: such a rule matches every request, so the policy allows everything to the
workloads it selects (all workloads of the namespace without a `selector`, the whole mesh in the
root namespace). Note the difference Istio makes: `spec: {}` (no rules at all) allows **nothing**
and is not flagged; `rules: [{}]` allows everything and is.

## Why it matters
Once any ALLOW policy applies to a workload, requests that match none are denied. An allow-all rule
silently cancels that default deny, including the deny-by-default that other, narrower policies
were relying on.

## Example
```yaml
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow-all, namespace: shop}
spec:
  rules:
    - {}          # flagged
```

## Fix
Give each rule sources (`from.source.principals` or `namespaces`) and operations (`to`), or delete
the policy.

## References
- https://istio.io/latest/docs/reference/config/security/authorization-policy/
- https://istio.io/latest/docs/ops/best-practices/security/#use-default-deny-patterns
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.netpol.istio import ISTIO_GROUP, allows_everything
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    if resource.group != ISTIO_GROUP:
        return
    at = allows_everything(resource)
    if at is not None:
        spec = resource.raw.get("spec")
        selector = isinstance(spec, dict) and spec.get("selector")
        target = (
            "the selected workloads"
            if selector
            else f"every workload in namespace {resource.effective_namespace!r}"
        )
        yield Violation(
            f"ALLOW rule {at[-1]} has no from, to or when: it allows every request to {target}", at=at
        )


RULE = Rule(
    code="NET016",
    slug="istio-authorization-allows-all",
    title="Istio AuthorizationPolicy allows every request",
    severity=Severity.HIGH,
    applies_to=kinds("AuthorizationPolicy"),
    check=check,
    remediation="Give each ALLOW rule sources and operations, or delete the allow-all policy.",
    references=("https://istio.io/latest/docs/reference/config/security/authorization-policy/",),
)
