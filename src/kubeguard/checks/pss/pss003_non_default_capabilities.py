"""Container adds capabilities beyond the default set.

## What it does
Flags containers whose `securityContext.capabilities.add` names a capability outside the
baseline allow-list (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD,
NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT). This is the *Capabilities* control
of the baseline level at every version; at the restricted level from v1.22 the stricter PSS018
replaces it (this rule is then NOT_APPLICABLE), before v1.22 it also runs at restricted.

## Why it matters
Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or NET_RAW give a container powers
that lead to the node (mounts, raw network access, tracing other processes).

## Example
```yaml
securityContext:
  capabilities:
    add: ["NET_ADMIN"]   # non-default capabilities
```

## Fix
Remove the capability from `capabilities.add`; if the workload truly needs it, run it in a
namespace with a less strict policy and review it.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
- CIS Kubernetes Benchmark 5.2.9
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS003",
    "non-default-capabilities",
    "Container adds capabilities beyond the default set",
    Severity.HIGH,
    "Add only capabilities from the baseline default set.",
    cis=("5.2.9",),
)
