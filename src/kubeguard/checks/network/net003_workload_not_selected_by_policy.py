"""Workload selected by no network policy.

## What it does
Flags every Pod and workload template whose pods no policy selects: no valid NetworkPolicy in its
namespace whose `podSelector` matches the template labels, and no CiliumNetworkPolicy,
CiliumClusterwideNetworkPolicy, Calico NetworkPolicy or GlobalNetworkPolicy selecting them (Calico
selectors kubeguard cannot parse count as selecting). Pods with `hostNetwork: true` are skipped:
NetworkPolicies do not apply to them.

## Why it matters
A pod that no policy selects is not isolated in either direction: every pod in the cluster can
connect to it and it can connect anywhere.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    metadata:
      labels: {app: api}     # flagged when no policy in 'shop' selects app=api (or all pods)
```

## Fix
Add a default-deny policy for the namespace, or a policy selecting these pods that allows only the
connections they need.

## References
- https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation
- CIS Kubernetes Benchmark 5.3.2 (ensure that all namespaces have NetworkPolicies defined)
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.network._common import CIS_NETPOL, analysis
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    a = analysis(ctx)
    endpoint = a.endpoint_of(workload.resource)
    if endpoint is None or endpoint.host_network:
        return
    if not a.selecting(endpoint):
        labels = ",".join(f"{k}={v}" for k, v in sorted(endpoint.labels.items())) or "no labels"
        yield Violation(
            f"no NetworkPolicy (or Cilium/Calico policy) in namespace {endpoint.namespace!r} selects "
            f"pods with {labels}: they are not isolated for ingress or egress",
            at=workload.meta_pointer / "labels",
        )


RULE = Rule(
    code="NET003",
    slug="workload-not-selected-by-policy",
    title="Workload is selected by no network policy",
    severity=Severity.MEDIUM,
    needs=("the namespace's NetworkPolicies",),
    applies_to=WORKLOADS,
    check=check,
    remediation="Select these pods with a NetworkPolicy (a namespace default-deny policy covers them all).",
    references=("https://kubernetes.io/docs/concepts/services-networking/network-policies/",),
    compliance=CIS_NETPOL,
)
