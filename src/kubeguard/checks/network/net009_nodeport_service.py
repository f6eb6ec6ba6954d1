"""NodePort Service.

## What it does
Flags every Service of `type: NodePort`: it opens a port on every node of the cluster.

## Why it matters
Node ports bypass the ingress layer and whatever protects it (TLS, authentication, WAF); they are
reachable by anything that can reach a node, often a much wider network than intended, and node
firewalls are easy to get wrong.

## Example
```yaml
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  type: NodePort     # flagged
  ports: [{port: 8080, nodePort: 30080}]
```

## Fix
Use `type: ClusterIP` behind an Ingress or Gateway, or an internal load balancer.

## References
- https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
- CIS Kubernetes Benchmark (general guidance: minimise exposed node ports)
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    spec = resource.raw.get("spec")
    if isinstance(spec, dict) and spec.get("type") == "NodePort":
        raw_ports = spec.get("ports")
        ports = raw_ports if isinstance(raw_ports, list) else []
        nodes = [str(p.get("nodePort")) for p in ports if isinstance(p, dict) and p.get("nodePort")]
        which = f" (node port {', '.join(nodes)})" if nodes else ""
        yield Violation(
            f"Service of type NodePort opens a port on every node{which}", at=Pointer(("spec", "type"))
        )


RULE = Rule(
    code="NET009",
    slug="nodeport-service",
    title="Service of type NodePort",
    severity=Severity.LOW,
    applies_to=kinds("Service"),
    check=check,
    remediation="Use a ClusterIP Service behind an Ingress/Gateway, or an internal load balancer.",
    references=("https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport",),
)
