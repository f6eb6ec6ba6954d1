"""Writable root filesystem.

## What it does
Flags every container and init container (sidecars included) whose
`securityContext.readOnlyRootFilesystem` is not `true` (the string `"true"` is not `true`: the API
server rejects the object, and kubeguard reports it as an input error). The field is not inherited from the pod-level securityContext, so each container must
set it. Ephemeral debug containers are not judged: they are started by hand, for a short time.
Windows pods are not judged either (`spec.os.name: windows`, a `kubernetes.io/os: windows`
nodeSelector, or a HostProcess pod): Windows does not support the field, and Kubernetes forbids it
when `spec.os.name` is `windows`.

## Why it matters
A writable root filesystem lets an intruder drop tools, change binaries and persist inside the
container. With a read-only root, writes go only to volumes you chose (an `emptyDir` for `/tmp`).

## Example
```yaml
containers:
  - name: app
    image: registry.example.com/app:1.4.2
    securityContext:
      readOnlyRootFilesystem: false   # flagged; so is leaving it unset
```

## Fix
Set `readOnlyRootFilesystem: true` in each container's `securityContext`, and mount an `emptyDir`
where the application must write (for example `/tmp`).

## References
- https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
- CIS Kubernetes Benchmark 5.6.3 (apply security context to pods and containers)
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.workload._containers import describe, non_ephemeral
from kubeguard.checks.workload._fixes import READ_ONLY_ROOT
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    if workload.runs_on_windows:
        return
    for c in non_ephemeral(workload):
        if c.security_context.read_only_root_filesystem is not True:
            yield Violation(
                f"{describe(c)} does not set securityContext.readOnlyRootFilesystem=true",
                at=c.pointer / "securityContext" / "readOnlyRootFilesystem",
            )


RULE = Rule(
    code="WKL001",
    slug="writable-root-filesystem",
    title="Container root filesystem is writable",
    severity=Severity.MEDIUM,
    applies_to=WORKLOADS,
    check=check,
    remediation="Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where writes are needed.",
    references=("https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",),
    fix=READ_ONLY_ROOT,
)
