"""Service with externalIPs (CVE-2020-8554).

## What it does
Flags every Service that sets `spec.externalIPs`.

## Why it matters
Any user who can create or patch a Service can set `externalIPs` to an address they do not own and
intercept cluster traffic to it (CVE-2020-8554, a man-in-the-middle that Kubernetes cannot fix in
code). Clusters should block the field with an admission policy; manifests should not use it.

## Example
```yaml
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  externalIPs: [203.0.113.10]     # flagged
```

## Fix
Remove `externalIPs` and use a LoadBalancer or Ingress; block the field cluster-wide with the
`DenyServiceExternalIPs` admission plugin or a policy engine.

## References
- https://github.com/kubernetes/kubernetes/issues/97076
- https://kubernetes.io/docs/concepts/services-networking/service/#external-ips
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.network._fixes import REMOVE_EXTERNAL_IPS
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    spec = resource.raw.get("spec")
    ips = spec.get("externalIPs") if isinstance(spec, dict) else None
    if isinstance(ips, list) and ips:
        yield Violation(
            f"Service sets externalIPs {', '.join(map(str, ips))} (CVE-2020-8554: traffic interception)",
            at=Pointer(("spec", "externalIPs")),
        )


RULE = Rule(
    code="NET010",
    slug="service-external-ips",
    title="Service uses externalIPs (CVE-2020-8554)",
    severity=Severity.HIGH,
    applies_to=kinds("Service"),
    check=check,
    remediation="Remove spec.externalIPs; enable the DenyServiceExternalIPs admission plugin.",
    references=("https://github.com/kubernetes/kubernetes/issues/97076",),
    compliance={"mitre-attack": ("T1557",)},
    fix=REMOVE_EXTERNAL_IPS,
)
