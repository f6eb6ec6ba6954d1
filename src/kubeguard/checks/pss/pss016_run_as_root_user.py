"""Pod or container sets runAsUser: 0.

## What it does
At the restricted level from v1.23, flags `runAsUser: 0` on the pod or any container.
Unset is allowed (PSS015 then requires runAsNonRoot). From v1.35 pods with `spec.hostUsers: false`
are exempt. NOT_APPLICABLE at baseline and before v1.23.

## Why it matters
UID 0 is root. `runAsNonRoot: true` makes the kubelet refuse to start such a container, but
an explicit `runAsUser: 0` states the intent to run as root.

## Example
```yaml
securityContext:
  runAsUser: 0   # runAsUser=0 (pod must not set runAsUser=0)
```

## Fix
Set `runAsUser` to a non-zero UID, or remove it and let the image's non-root `USER` apply.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
- CIS Kubernetes Benchmark 5.2.7
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.checks.pss._fixes import NON_ZERO_USER
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS016",
    "run-as-root-user",
    "Pod or container sets runAsUser: 0",
    Severity.MEDIUM,
    "Set runAsUser to a non-zero UID.",
    cis=("5.2.7",),
    fix=NON_ZERO_USER,
)
