"""Namespace without default-deny egress.

## What it does
Flags every namespace in which no NetworkPolicy selects all pods (`podSelector: {}`) with the policy
type `Egress` (given explicitly, or implied by egress rules). Cilium and Calico policies selecting
every pod of the namespace with an egress section count as well. The finding sits on the Namespace
object; a namespace that the input only implies is reported once, on its first workload.

## Why it matters
Unrestricted egress lets a compromised pod download tools, exfiltrate data, reach the cloud metadata
endpoint and scan every other service. Egress default deny limits it to the flows you allowed.

## Example
```yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-ingress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress]    # namespace 'shop' is flagged: nothing isolates egress
```

## Fix
Add `Egress` to the default-deny policy and allow DNS explicitly
(`kubeguard netpol generate default-deny --namespace shop` writes both).

## References
- https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic
- CIS Kubernetes Benchmark 5.3.2 (ensure that all namespaces have NetworkPolicies defined)
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.network._common import CIS_NETPOL, NAMESPACES, default_deny
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    yield from default_deny(resource, ctx, "egress")


RULE = Rule(
    code="NET002",
    slug="namespace-without-default-deny-egress",
    title="Namespace has no default-deny egress NetworkPolicy",
    severity=Severity.MEDIUM,
    needs=("the namespace's NetworkPolicies",),
    applies_to=NAMESPACES,
    check=check,
    remediation="Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Egress]`, plus a DNS allowance.",
    references=(
        "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic",
    ),
    compliance=CIS_NETPOL,
)
