"""Pod shares the host's network, PID or IPC namespace.

## What it does
Flags pods that set `spec.hostNetwork`, `spec.hostPID` or `spec.hostIPC` to `true` (the
Pod Security Standards *Host Namespaces* control, baseline level, every version). Unset and `false`
are allowed.

## Why it matters
A pod in the host's namespaces sees every process (PID), talks on the node's interfaces and
localhost services (network) and reads shared memory of other workloads (IPC). Each one removes a
layer of isolation between the container and the node.

## Example
```yaml
spec:
  hostNetwork: true    # host namespaces (hostNetwork=true)
  containers:
    - name: app
      image: registry.example.com/app:1.4.2
```

## Fix
Remove `hostNetwork`, `hostPID` and `hostIPC` (or set them to `false`). Expose network services
through a Service instead of the node's interfaces.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
- CIS Kubernetes Benchmark 5.2.3, 5.2.4, 5.2.5
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.checks.pss._fixes import REMOVE_HOST_NAMESPACES
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS001",
    "host-namespaces",
    "Pod shares the host's network, PID or IPC namespace",
    Severity.HIGH,
    "Remove hostNetwork, hostPID and hostIPC or set them to false.",
    cis=("5.2.3", "5.2.4", "5.2.5"),
    fix=REMOVE_HOST_NAMESPACES,
)
