"""Namespace without default-deny ingress.

## What it does
Flags every namespace in which no NetworkPolicy selects all pods (`podSelector: {}`) with the policy
type `Ingress`. A CiliumNetworkPolicy with an empty `endpointSelector` and an ingress section, or a
Calico policy selecting `all()` with the Ingress type, counts as well. The finding sits on the
Namespace object; a namespace that the input only implies (workloads in it, no Namespace object) is
reported once, on its first workload in input order.

## Why it matters
Without a policy isolating it, a pod accepts connections from every pod of the cluster and from
anywhere its Services expose it. One compromised pod can then reach every database and admin port.
Default deny makes every allowed flow explicit.

## Example
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop          # flagged: no policy in 'shop' selects all pods for Ingress
```

## Fix
Add a default-deny policy to the namespace (`kubeguard netpol generate default-deny --namespace shop`)
and then policies allowing the flows each application needs.

## References
- https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies
- CIS Kubernetes Benchmark 5.3.2 (ensure that all namespaces have NetworkPolicies defined)
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.network._common import CIS_NETPOL, NAMESPACES, default_deny
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    yield from default_deny(resource, ctx, "ingress")


RULE = Rule(
    code="NET001",
    slug="namespace-without-default-deny-ingress",
    title="Namespace has no default-deny ingress NetworkPolicy",
    severity=Severity.MEDIUM,
    needs=("the namespace's NetworkPolicies",),
    applies_to=NAMESPACES,
    check=check,
    remediation="Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress]` to the namespace.",
    references=(
        "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies",
    ),
    compliance=CIS_NETPOL,
)
