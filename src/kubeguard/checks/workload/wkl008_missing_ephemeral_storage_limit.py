"""Container without a ephemeral-storage limit.

## What it does
Flags every container and init container that ends up without `resources.limits.ephemeral-storage`.
This requirement is configurable in `.kubeguard.yaml` and is not required by default; add it to `resources.require`:

```yaml
resources:
  require: [requests.cpu, requests.memory, limits.memory]   # the default
```

When `limits.ephemeral-storage` is not in the list the rule records NOT_APPLICABLE. The value counts as set when
Kubernetes would fill it in:
or a LimitRange of type `Container` in the same namespace of the input
that supplies a default. Ephemeral debug containers are not judged (they cannot set resources).

## Why it matters
Without an ephemeral-storage limit a container can fill the node's disk with logs, writable
layer data and `emptyDir` volumes, until the kubelet evicts pods and the node reports DiskPressure.

## Example
```yaml
containers:
  - name: app
    image: registry.example.com/app:1.4.2
    resources: {}          # flagged: no limits.ephemeral-storage
```

## Fix
Set it on each container (init containers included), or give the namespace a LimitRange default:
```yaml
resources:
  limits:
    ephemeral-storage: 1Gi
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

KEY = "limits.ephemeral-storage"


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    return missing(workload, ctx, KEY)


RULE = Rule(
    code="WKL008",
    slug="missing-ephemeral-storage-limit",
    title="Container has no ephemeral-storage limit",
    severity=Severity.LOW,
    needs=("the namespace's LimitRange defaults",),
    applies_to=WORKLOADS,
    check=check,
    remediation="Set resources.limits.ephemeral-storage on every container, or a LimitRange default for the namespace.",
    references=("https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",),
    enabled=enabled_for(KEY),
    fix=RESOURCE_DEFAULT,
)
