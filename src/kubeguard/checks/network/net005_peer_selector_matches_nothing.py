"""NetworkPolicy peer selector that matches nothing.

## What it does
Flags a `from`/`to` peer of a NetworkPolicy whose podSelector and/or namespaceSelector matches no
pod. To avoid false alarms it is judged only where the input is complete:

- a podSelector-only peer (pods of the policy's namespace): when that namespace is complete (its
  Namespace object and at least one workload are in the input);
- a peer with a namespaceSelector: when it selects at least one namespace and every namespace it
  selects is complete;
- or anywhere when `.kubeguard.yaml` says `network: {assumeComplete: true}`.

## Why it matters
A peer that matches nothing allows nothing: the flow the author meant to allow is broken, or the
labels drifted and someone will "fix" it by opening the policy wide.

## Example
```yaml
ingress:
  - from:
      - podSelector:
          matchLabels: {app: frontend}   # flagged: the pods are labelled app=web
```

## Fix
Correct the selector so that it matches the labels of the intended pods and namespaces (namespaces
always carry `kubernetes.io/metadata.name`).

## References
- https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.network._common import analysis
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    a = analysis(ctx)
    policy = a.policy_of(resource)
    if policy is None or not policy.valid:
        return
    for rule in policy.rules():
        for peer in rule.peers or ():
            if peer.ip_block is not None:
                continue
            namespaces = a.peer_namespaces(policy, peer)
            if peer.namespace_selector is None:
                judged = a.namespace_complete(policy.namespace)
            else:
                judged = a.assume_complete or (
                    bool(namespaces) and all(a.namespace_complete(n) for n in namespaces)
                )
            if judged and not a.peer_matches_any(policy, peer, namespaces):
                yield Violation(
                    f"{rule.direction} peer ({peer.describe(policy.namespace)}) matches no pod",
                    at=peer.pointer,
                )


RULE = Rule(
    code="NET005",
    slug="peer-selector-matches-nothing",
    title="NetworkPolicy peer selector matches no pod",
    severity=Severity.LOW,
    needs=("the pods and namespaces the peer selectors could match",),
    applies_to=kinds("NetworkPolicy"),
    check=check,
    remediation="Fix the peer's podSelector/namespaceSelector to match the intended pods.",
    references=(
        "https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors",
    ),
)
