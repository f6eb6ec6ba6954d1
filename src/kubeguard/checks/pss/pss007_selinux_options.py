"""Custom SELinux user, role or type.

## What it does
Flags `seLinuxOptions` (pod or container level) that set a `user` or a `role`, or a `type`
other than `container_t`, `container_init_t`, `container_kvm_t` (and, from v1.31,
`container_engine_t`) (*SELinux*, baseline). Setting `level` is allowed.

## Why it matters
A custom SELinux type, user or role can run the container in a more privileged domain,
such as `spc_t` (unconfined), defeating SELinux confinement.

## Example
```yaml
securityContext:
  seLinuxOptions:
    type: spc_t   # seLinuxOptions (... set forbidden securityContext.seLinuxOptions: type "spc_t")
```

## Fix
Remove `seLinuxOptions.type`, `.user` and `.role`; set only `level` if you need MCS labels.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS007",
    "selinux-options",
    "Custom SELinux user, role or type",
    Severity.MEDIUM,
    "Do not set seLinuxOptions user or role; use only the allowed container types.",
    cis=(),
)
