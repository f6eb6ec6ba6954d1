"""Workload in the `default` namespace.

## What it does
Flags workloads whose `metadata.namespace` is `default`. Objects that do not write a namespace
are not flagged: their namespace is chosen when they are applied (`kubectl -n`, a Helm release,
a kustomization's `namespace:`), and flagging them would flag nearly every chart. For the same
reason objects rendered from a Helm chart are not judged: `helm template` writes the release's
namespace, `default` unless one is given.

## Why it matters
Namespaces are the unit of RBAC, NetworkPolicy, quotas and Pod Security admission. The
`default` namespace usually has none of them set up, and everything put there shares it.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: default     # flagged
```

## Fix
Create a namespace for the application (with its own policies) and deploy there.

## References
- https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
- CIS Kubernetes Benchmark 5.6.4 (the default namespace should not be used)
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.workload._namespaces import chosen_namespace
from kubeguard.model.pointer import Pointer
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    if chosen_namespace(workload.resource) == "default":
        yield Violation(
            f"{workload.kind} {workload.resource.name!r} is deployed to the 'default' namespace",
            at=Pointer(("metadata", "namespace")),
        )


RULE = Rule(
    code="WKL012",
    slug="default-namespace",
    title="Workload in the default namespace",
    severity=Severity.LOW,
    applies_to=WORKLOADS,
    check=check,
    remediation="Deploy the workload to a dedicated namespace.",
    references=("https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/",),
    compliance={"cis-1.12": ("5.6.4",)},
)
