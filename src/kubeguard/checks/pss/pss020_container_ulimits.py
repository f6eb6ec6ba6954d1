"""Container sets resource limits (ulimits).

## What it does
From policy version v1.37, flags containers (init, regular and ephemeral) that set
`securityContext.ulimits` (*Ulimits*, baseline). NOT_APPLICABLE at earlier versions.

## Why it matters
Ulimits are enforced by the node for the container's processes. Raising them (open files,
locked memory, core dumps, processes) lets one pod exhaust node resources or write core dumps
that may hold secrets; only the privileged level may set them.

## Example
```yaml
securityContext:
  ulimits:                 # ulimits
    nofile: {soft: 1048576, hard: 1048576}
```

## Fix
Remove `securityContext.ulimits` and rely on the node's defaults, or run the workload in a
namespace at the privileged level.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.checks.pss._fixes import REMOVE_ULIMITS
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS020",
    "container-ulimits",
    "Container sets resource limits (ulimits)",
    Severity.LOW,
    "Remove securityContext.ulimits from every container.",
    cis=(),
    fix=REMOVE_ULIMITS,
)
