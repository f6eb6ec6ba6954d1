"""Seccomp profile disabled.

## What it does
Flags a seccomp profile explicitly set to anything but `RuntimeDefault` or `Localhost`
(*Seccomp*, baseline). From v1.19 it reads `securityContext.seccompProfile.type` of the pod and
every container; before v1.19 it reads the `seccomp.security.alpha.kubernetes.io/pod` and
`container.seccomp.security.alpha.kubernetes.io/<container>` annotations (allowed:
`runtime/default`, `docker/default`, `localhost/*`). Leaving seccomp unset is allowed at baseline.
At the restricted level from v1.19 PSS017 replaces this rule.

## Why it matters
`Unconfined` lets the container make every system call, including those used in kernel
exploits that the default profile blocks.

## Example
```yaml
securityContext:
  seccompProfile:
    type: Unconfined   # seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")
```

## Fix
Set `seccompProfile.type: RuntimeDefault` (or `Localhost` with a tuned profile).

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS009",
    "seccomp-unconfined",
    "Seccomp profile disabled",
    Severity.MEDIUM,
    "Use the RuntimeDefault or a Localhost seccomp profile; never Unconfined.",
    cis=(),
)
