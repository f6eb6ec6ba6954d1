"""Seccomp profile disabled.

## What it does
Flags a seccomp profile explicitly set to anything but `RuntimeDefault` or `Localhost`
(*Seccomp*, baseline). From v1.19 it reads `securityContext.seccompProfile.type` of the pod and
every container; before v1.19 it reads the `seccomp.security.alpha.kubernetes.io/pod` and
`container.seccomp.security.alpha.kubernetes.io/<container>` annotations (allowed:
`runtime/default`, `docker/default`, `localhost/*`). Leaving seccomp unset is allowed at baseline.
At the restricted level from v1.19 PSS017 replaces this rule.

The old annotations are judged as the API server of the target version (`--k8s-version`) treats
them: from v1.19 to v1.26 it fills an unset `seccompProfile` field from the annotation when the pod is
created (`unconfined` -> `Unconfined`, `runtime/default` and `docker/default` -> `RuntimeDefault`,
`localhost/<p>` -> `Localhost`), so the field it makes is judged and the finding points at the
annotation; up to v1.24 it also fills a missing annotation from the field. From v1.27 (and at
`latest`) the annotations do nothing and are not judged (kubelets ignore them since v1.25).

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
- https://github.com/kubernetes/kubernetes/pull/109819 (v1.25: annotations partly removed)
- https://github.com/kubernetes/kubernetes/pull/114947 (v1.27: annotations non-functional)
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.checks.pss._fixes import SECCOMP_NOT_UNCONFINED
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS009",
    "seccomp-unconfined",
    "Seccomp profile disabled",
    Severity.MEDIUM,
    "Use the RuntimeDefault or a Localhost seccomp profile; never Unconfined.",
    cis=(),
    fix=SECCOMP_NOT_UNCONFINED,
)
