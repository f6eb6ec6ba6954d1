"""NetworkPolicy allows ingress from any address.

## What it does
Flags an ingress rule with an `ipBlock` of `0.0.0.0/0` or `::/0` (even with `except` entries, which
are named in the message), and an ingress rule with no `from` (missing or empty), which the API
defines as "every source": the selected pods accept connections from the whole internet, wherever
a Service, an Ingress or a node port makes them reachable.

## Why it matters
Policies are often written to allow "the load balancer" and end up allowing every address. Exposure
to the internet should be a deliberate decision on the edge (ingress controller), not on each pod.

## Example
```yaml
ingress:
  - from:
      - ipBlock:
          cidr: 0.0.0.0/0     # flagged
  - ports: [{port: 8080}]     # flagged too: no `from` means every source
```

## Fix
Allow only the addresses that must connect (the load balancer or ingress controller ranges), or
select the ingress controller pods with a namespaceSelector/podSelector.

## References
- https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.network._common import analysis
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    policy = analysis(ctx).policy_of(resource)
    if policy is None or not policy.valid or not policy.ingress_isolation:
        return
    for rule in policy.ingress:
        if rule.peers is None:
            ports = ", ".join(map(str, rule.ports)) if rule.ports else "every port"
            yield Violation(
                f"ingress[{rule.index}] has no 'from', so it allows every source, inside or outside "
                f"the cluster, on {ports}",
                at=rule.pointer,
            )
            continue
        for peer in rule.peers:
            block = peer.ip_block
            if block is not None and block.cidr.prefixlen == 0:
                extra = f" (except {', '.join(map(str, block.excepts))})" if block.excepts else ""
                ports = ", ".join(map(str, rule.ports)) if rule.ports else "every port"
                yield Violation(
                    f"ingress[{rule.index}] allows {block.cidr}{extra} on {ports}",
                    at=peer.pointer / "ipBlock" / "cidr",
                )


RULE = Rule(
    code="NET006",
    slug="ingress-from-anywhere",
    title="NetworkPolicy allows ingress from 0.0.0.0/0 or ::/0",
    severity=Severity.MEDIUM,
    applies_to=kinds("NetworkPolicy"),
    check=check,
    remediation="Replace the /0 ipBlock with the address ranges that must connect.",
    references=("https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/",),
)
