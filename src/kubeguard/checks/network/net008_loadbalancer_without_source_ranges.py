"""LoadBalancer Service open to every address.

## What it does
Flags a Service of `type: LoadBalancer` that does not restrict its clients: no
`spec.loadBalancerSourceRanges` (nor the older annotation
`service.beta.kubernetes.io/load-balancer-source-ranges`), or a range of `0.0.0.0/0` or `::/0`.
Load balancers marked internal by the usual cloud annotations (AWS, GCP, Azure, OCI, IBM) are not
flagged.

## Why it matters
A public load balancer puts the Service on the internet. Whatever listens behind it is scanned
and attacked within minutes; admin consoles and databases are routinely exposed this way.

## Example
```yaml
apiVersion: v1
kind: Service
metadata: {name: admin}
spec:
  type: LoadBalancer        # flagged: no loadBalancerSourceRanges
  ports: [{port: 443}]
```

## Fix
Set `loadBalancerSourceRanges` to the client ranges, make the load balancer internal, or expose
HTTP services through an Ingress with TLS instead.

## References
- https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
- https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds

SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges"
INTERNAL_ANNOTATIONS = {
    "service.beta.kubernetes.io/aws-load-balancer-internal": ("true", "0.0.0.0/0"),
    "service.beta.kubernetes.io/aws-load-balancer-scheme": ("internal",),
    "networking.gke.io/load-balancer-type": ("internal",),
    "cloud.google.com/load-balancer-type": ("internal",),
    "service.beta.kubernetes.io/azure-load-balancer-internal": ("true",),
    "service.beta.kubernetes.io/oci-load-balancer-internal": ("true",),
    "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type": ("private",),
}
OPEN = ("0.0.0.0/0", "::/0")


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    spec = resource.raw.get("spec")
    if not isinstance(spec, dict) or spec.get("type") != "LoadBalancer":
        return
    ann = resource.annotations
    for key, values in INTERNAL_ANNOTATIONS.items():
        if str(ann.get(key, "")).lower() in values:
            return
    ranges = spec.get("loadBalancerSourceRanges")
    if isinstance(ranges, list) and ranges:
        for i, r in enumerate(ranges):
            if str(r).strip() in OPEN:
                yield Violation(
                    f"loadBalancerSourceRanges includes {str(r).strip()}: the load balancer accepts every address",
                    at=Pointer(("spec", "loadBalancerSourceRanges", i)),
                )
        return
    annotated = [s.strip() for s in str(ann.get(SOURCE_RANGES_ANNOTATION, "")).split(",") if s.strip()]
    if annotated:
        if any(s in OPEN for s in annotated):
            yield Violation(
                f"annotation {SOURCE_RANGES_ANNOTATION} includes an all-addresses range",
                at=Pointer(("metadata", "annotations", SOURCE_RANGES_ANNOTATION)),
            )
        return
    yield Violation(
        "Service of type LoadBalancer has no loadBalancerSourceRanges: it is reachable from every address",
        at=Pointer(("spec", "type")),
    )


RULE = Rule(
    code="NET008",
    slug="loadbalancer-without-source-ranges",
    title="LoadBalancer Service accepts every source address",
    severity=Severity.MEDIUM,
    applies_to=kinds("Service"),
    check=check,
    remediation="Set spec.loadBalancerSourceRanges to the client ranges, or make the load balancer internal.",
    references=("https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer",),
)
