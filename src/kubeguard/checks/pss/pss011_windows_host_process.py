"""Windows HostProcess container.

## What it does
Flags `securityContext.windowsOptions.hostProcess: true` on the pod or any container
(*HostProcess*, baseline, every version).

## Why it matters
A HostProcess container runs directly on the Windows node with the node's privileges: it
is the Windows equivalent of a privileged container.

## Example
```yaml
securityContext:
  windowsOptions:
    hostProcess: true   # hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)
```

## Fix
Remove `hostProcess` or set it to `false`.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
- CIS Kubernetes Benchmark 5.2.10
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS011",
    "windows-host-process",
    "Windows HostProcess container",
    Severity.CRITICAL,
    "Remove windowsOptions.hostProcess or set it to false.",
    cis=("5.2.10",),
)
