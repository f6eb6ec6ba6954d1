"""Container unmasks /proc.

## What it does
Flags containers whose `securityContext.procMount` is set to anything but `Default`
(*/proc Mount Type*, baseline). From v1.35 the baseline level allows any value in a pod with
`spec.hostUsers: false` (its own user namespace); the restricted level still forbids it there.

## Why it matters
The default /proc masks hide kernel interfaces and other processes' information; `Unmasked`
exposes them to the container.

## Example
```yaml
securityContext:
  procMount: Unmasked   # procMount (container "app" must not set securityContext.procMount to "Unmasked")
```

## Fix
Remove `procMount` or set it to `Default`.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.checks.pss._fixes import REMOVE_PROC_MOUNT
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS008",
    "proc-mount-type",
    "Container unmasks /proc",
    Severity.MEDIUM,
    "Remove securityContext.procMount or set it to Default.",
    cis=(),
    fix=REMOVE_PROC_MOUNT,
)
