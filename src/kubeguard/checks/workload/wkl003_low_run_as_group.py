"""Container runs with a low (or unset) group ID.

## What it does
Flags every container and init container whose effective `runAsGroup` is below 10000 or unset.
The effective value is the container's own `securityContext.runAsGroup`, else the pod-level
`securityContext.runAsGroup` it inherits; the finding points at the field where the value is set
(container or pod level), or at the container's field when neither sets it. Ephemeral debug
containers and Windows pods (`spec.os.name: windows`, a `kubernetes.io/os: windows` nodeSelector,
or a HostProcess pod) are not judged: Windows ignores `runAsGroup`.

Pods with `spec.hostUsers: false` run in their own user namespace and are not judged when the
target version (`--k8s-version`) is v1.35 or later (the default, `latest`): each GID of the pod,
0 included, maps to an unprivileged GID of the node. This follows Pod Security Admission, whose
policy v1.35 exempts these pods from its runAsNonRoot and runAsUser checks (before v1.35 only behind
the alpha `UserNamespacesPodSecurityStandards` feature gate, off by default).

## Why it matters
Group IDs below 10000 are shared with groups of the node (group 0 is root's; files on host paths
and volumes are often group-readable). Left unset, the container runs with the image's primary
group, usually 0.

## Example
```yaml
containers:
  - name: app
    image: registry.example.com/app:1.4.2
    securityContext:
      runAsUser: 10001
      runAsGroup: 0          # flagged
```

## Fix
Set `runAsGroup` to 10000 or more in the pod-level `securityContext` or in each container's.

## References
- https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
- https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/
- https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/127-user-namespaces
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.workload._fixes import LOW_RUN_AS_GROUP
from kubeguard.checks.workload._run_as import low_ids
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    return low_ids(workload, ctx, "runAsGroup")


RULE = Rule(
    code="WKL003",
    slug="low-run-as-group",
    title="Container runs with a group ID below 10000",
    severity=Severity.LOW,
    applies_to=WORKLOADS,
    check=check,
    remediation="Set securityContext.runAsGroup to 10000 or more (pod level or per container).",
    references=("https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",),
    fix=LOW_RUN_AS_GROUP,
)
