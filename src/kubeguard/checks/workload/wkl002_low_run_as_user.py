"""Container runs with a low (or unset) user ID.

## What it does
Flags every container and init container whose effective `runAsUser` is below 10000 or unset.
The effective value is the container's own `securityContext.runAsUser`, else the pod-level
`securityContext.runAsUser` it inherits; the finding points at the field where the value is set
(container or pod level), or at the container's field when neither sets it. Ephemeral debug
containers and Windows pods (`spec.os.name: windows`, a `kubernetes.io/os: windows` nodeSelector,
or a HostProcess pod) are not judged: Windows ignores `runAsUser`.

Pods with `spec.hostUsers: false` run in their own user namespace and are not judged when the
target version (`--k8s-version`) is v1.35 or later (the default, `latest`): each UID of the pod,
0 included, maps to an unprivileged UID of the node. This follows Pod Security Admission, whose
policy v1.35 exempts these pods from its runAsNonRoot and runAsUser checks (before v1.35 only behind
the alpha `UserNamespacesPodSecurityStandards` feature gate, off by default).

## Why it matters
User IDs below 10000 are shared with accounts of the node (root is 0, system users are below
1000, people from 1000). A process that escapes the container keeps its UID and so gets whatever
the node grants that user. Left unset, the image decides, and many images run as root.

## Example
```yaml
spec:
  securityContext:
    runAsUser: 1000          # flagged: inherited by every container
  containers:
    - name: app
      image: registry.example.com/app:1.4.2
```

## Fix
Set `runAsUser` to 10000 or more, in the pod-level `securityContext` (inherited by all containers)
or in each container's; build the image with a matching numeric `USER`.

## References
- https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
- https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/
- https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/127-user-namespaces
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.workload._fixes import LOW_RUN_AS_USER
from kubeguard.checks.workload._run_as import low_ids
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    return low_ids(workload, ctx, "runAsUser")


RULE = Rule(
    code="WKL002",
    slug="low-run-as-user",
    title="Container runs with a user ID below 10000",
    severity=Severity.LOW,
    applies_to=WORKLOADS,
    check=check,
    remediation="Set securityContext.runAsUser to 10000 or more (pod level or per container).",
    references=("https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",),
    fix=LOW_RUN_AS_USER,
)
