"""Namespace with workloads but neither a LimitRange nor a ResourceQuota.

## What it does
For each namespace of the input that runs workloads, checks that the input also holds a
LimitRange or a ResourceQuota for it. Only namespaces written in the input count: a `Namespace`
object, or `metadata.namespace` written on a workload. Objects without `metadata.namespace` are
not judged, because their namespace is chosen when they are applied (`kubectl -n`, a Helm release,
a kustomization's `namespace:`), not by the manifest; likewise objects rendered from a Helm
chart, whose namespace is the release's.

Where the finding goes:
- on the `Namespace` object when it is in the input (one finding per namespace, at
  `/metadata/name`);
- otherwise on every workload of that namespace (at `/metadata/namespace`), since there is no
  other object to attach it to.

## Why it matters
A LimitRange gives containers default requests and limits and caps what one container may ask
for; a ResourceQuota caps the namespace as a whole. With neither, one team's runaway or
compromised workload can take a node's or the cluster's capacity from everyone else.

## Example
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: payments        # flagged: workloads run here, no LimitRange or ResourceQuota in the input
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: payments}
...
```

## Fix
Add a LimitRange (defaults and bounds per container) and/or a ResourceQuota to the namespace:
```yaml
apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: payments}
spec:
  limits:
    - type: Container
      defaultRequest: {cpu: 100m, memory: 128Mi}
      default: {memory: 512Mi}
```

## References
- https://kubernetes.io/docs/concepts/policy/limit-range/
- https://kubernetes.io/docs/concepts/policy/resource-quotas/
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from kubeguard.checks.workload._namespaces import chosen_namespace
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Scope, Severity, Violation


@dataclass(frozen=True, slots=True)
class _Namespaces:
    workloads: Counter[str]
    guarded: frozenset[str]
    objects: frozenset[str]


def _namespaces(ctx: ScanContext) -> _Namespaces:
    workloads: Counter[str] = Counter()
    for r in ctx.resources:
        ns = chosen_namespace(r)
        if ns and r.workload is not None:
            workloads[ns] += 1
    guarded = frozenset(
        r.namespace for r in (*ctx.of_kind("LimitRange"), *ctx.of_kind("ResourceQuota")) if r.namespace
    )
    objects = frozenset(r.name for r in ctx.of_kind("Namespace") if r.group == "")
    return _Namespaces(workloads, guarded, objects)


def _is_namespace(r: Resource) -> bool:
    return r.kind == "Namespace" and r.group == ""


SCOPE = Scope(
    "Namespace objects and workloads",
    lambda r: _is_namespace(r) or r.workload is not None,
)


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    info = ctx.cached(_namespaces)
    if _is_namespace(resource):
        ns = resource.name
        count = info.workloads.get(ns, 0)
        if count and ns not in info.guarded:
            yield Violation(
                f"namespace {ns!r} runs {count} workload(s) but the input has no LimitRange or "
                "ResourceQuota for it",
                at=Pointer(("metadata", "name")),
            )
        return
    ns_written = chosen_namespace(resource)
    if not ns_written or ns_written in info.objects or ns_written in info.guarded:
        return
    yield Violation(
        f"namespace {ns_written!r} (no Namespace object in the input) has no LimitRange or "
        "ResourceQuota in the input",
        at=Pointer(("metadata", "namespace")),
    )


RULE = Rule(
    code="WKL009",
    slug="namespace-without-resource-policy",
    title="Namespace with workloads has no LimitRange or ResourceQuota",
    severity=Severity.LOW,
    needs=("the namespace's workloads, LimitRanges and ResourceQuotas",),
    applies_to=SCOPE,
    check=check,
    remediation="Add a LimitRange and/or a ResourceQuota to every namespace that runs workloads.",
    references=(
        "https://kubernetes.io/docs/concepts/policy/limit-range/",
        "https://kubernetes.io/docs/concepts/policy/resource-quotas/",
    ),
)
