"""Containers may run as root.

## What it does
At the restricted level, flags pods where `runAsNonRoot` is not `true` for every container:
set on the pod (inherited by containers that leave it unset) or on each container; an explicit
`false` anywhere is flagged. From v1.35 pods with `spec.hostUsers: false` are exempt (root in a user
namespace is not root on the node). NOT_APPLICABLE at baseline.

## Why it matters
A container running as root is one kernel or runtime bug away from root on the node, and
can change everything inside its own filesystem.

## Example
```yaml
spec:
  containers:
    - name: app   # runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true)
      image: registry.example.com/app:1.4.2
```

## Fix
Set `securityContext.runAsNonRoot: true` on the pod, and build the image with a non-root
`USER` (or set `runAsUser` to a non-zero UID).

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
- CIS Kubernetes Benchmark 5.2.7
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.checks.pss._fixes import RUN_AS_NON_ROOT
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS015",
    "run-as-non-root",
    "Containers may run as root",
    Severity.MEDIUM,
    "Set securityContext.runAsNonRoot: true on the pod or every container.",
    cis=("5.2.7",),
    fix=RUN_AS_NON_ROOT,
)
