"""Container uses a host port.

## What it does
Flags container ports with a non-zero `hostPort` in any container, init container or
ephemeral container (*Host Ports*, baseline, every version). Unset and `0` are allowed.

## Why it matters
A host port binds the node's interface directly, bypassing Services and network policies,
and ties the pod to nodes where that port is free.

## Example
```yaml
ports:
  - containerPort: 8080
    hostPort: 80   # hostPort (container "app" uses hostPort 80)
```

## Fix
Remove `hostPort` and expose the port through a Service (NodePort or LoadBalancer if it must
be reachable from outside).

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
- CIS Kubernetes Benchmark 5.2.12
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.checks.pss._fixes import REMOVE_HOST_PORT
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS005",
    "host-ports",
    "Container uses a host port",
    Severity.MEDIUM,
    "Remove hostPort; expose the port with a Service.",
    cis=("5.2.12",),
    fix=REMOVE_HOST_PORT,
)
