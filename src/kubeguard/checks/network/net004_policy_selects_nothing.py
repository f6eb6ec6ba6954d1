"""NetworkPolicy that selects no pod.

## What it does
Flags a NetworkPolicy whose `podSelector` is not empty and matches no pod of its namespace. It is
judged only where the input holds the whole namespace: the Namespace object and at least one
workload in it are in the input, or `.kubeguard.yaml` says `network: {assumeComplete: true}`.
Otherwise the pods may simply live in manifests that were not scanned, and nothing is reported.

## Why it matters
A policy that selects nothing protects nothing: usually a label was renamed in the Deployment but
not in the policy, and the pods it was written for are open.

## Example
```yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector:
    matchLabels: {app: postgres}    # flagged: the pods are labelled app=postgresql
```

## Fix
Correct the selector so that it matches the pod template labels, or delete the policy.

## References
- https://kubernetes.io/docs/concepts/services-networking/network-policies/
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.network._common import analysis
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    a = analysis(ctx)
    policy = a.policy_of(resource)
    if policy is None or not policy.valid or policy.pod_selector.is_empty:
        return
    if not a.namespace_complete(policy.namespace):
        return
    if not a.endpoints_selected(policy.namespace, policy.pod_selector):
        yield Violation(
            f"podSelector {{{policy.pod_selector}}} matches no pod in namespace {policy.namespace!r}",
            at=Pointer(("spec", "podSelector")),
        )


RULE = Rule(
    code="NET004",
    slug="policy-selects-nothing",
    title="NetworkPolicy selects no pod",
    severity=Severity.LOW,
    needs=("the pods of the policy's namespace",),
    applies_to=kinds("NetworkPolicy"),
    check=check,
    remediation="Fix the podSelector to match the labels of the pods it should protect, or remove the policy.",
    references=("https://kubernetes.io/docs/concepts/services-networking/network-policies/",),
)
