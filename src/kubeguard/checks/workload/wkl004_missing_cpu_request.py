"""Container without a CPU request.

## What it does
Flags every container and init container that ends up without `resources.requests.cpu`.
This requirement is configurable in `.kubeguard.yaml` and is required by default:

```yaml
resources:
  require: [requests.cpu, requests.memory, limits.memory]   # the default
```

When `requests.cpu` is not in the list the rule records NOT_APPLICABLE. The value counts as set when
Kubernetes would fill it in: the container's limit (a missing request defaults to the limit),
pod-level `spec.resources`, or a LimitRange of type `Container` in the same namespace of the input
that supplies a default. Ephemeral debug containers are not judged (they cannot set resources).

## Why it matters
Without a CPU request the scheduler places the pod as if it needed no CPU, packing nodes until
containers starve each other; the pod also lands in the `BestEffort` or `Burstable` QoS class and
is among the first evicted under pressure.

## Example
```yaml
containers:
  - name: app
    image: registry.example.com/app:1.4.2
    resources: {}          # flagged: no requests.cpu
```

## Fix
Set it on each container (init containers included), or give the namespace a LimitRange default:
```yaml
resources:
  requests:
    cpu: 250m
```

## References
- https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
- https://kubernetes.io/docs/concepts/policy/limit-range/
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.workload._fixes import RESOURCE_DEFAULT
from kubeguard.checks.workload._resources import enabled_for, missing
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation

KEY = "requests.cpu"


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    return missing(workload, ctx, KEY)


RULE = Rule(
    code="WKL004",
    slug="missing-cpu-request",
    title="Container has no CPU request",
    severity=Severity.LOW,
    needs=("the namespace's LimitRange defaults",),
    applies_to=WORKLOADS,
    check=check,
    remediation="Set resources.requests.cpu on every container, or a LimitRange default for the namespace.",
    references=("https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",),
    enabled=enabled_for(KEY),
    fix=RESOURCE_DEFAULT,
)
