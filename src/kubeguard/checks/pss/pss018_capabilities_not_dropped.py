"""Container does not drop ALL capabilities.

## What it does
At the restricted level from v1.22, requires every container to set
`securityContext.capabilities.drop: ["ALL"]` and to add no capability but `NET_BIND_SERVICE`. It
replaces the baseline capabilities control (PSS003) at restricted. From v1.25 pods with
`spec.os.name: windows` are exempt. NOT_APPLICABLE at baseline and before v1.22.

## Why it matters
The runtime's default capability set still includes powers (CHOWN, DAC_OVERRIDE, SETUID,
NET_RAW ...) that most applications never use and attackers do.

## Example
```yaml
securityContext:
  capabilities:
    add: ["SYS_ADMIN"]   # unrestricted capabilities (... must set securityContext.capabilities.drop=["ALL"]; ...)
```

## Fix
Set `capabilities: {drop: ["ALL"]}`, adding back only `NET_BIND_SERVICE` if the process binds
ports below 1024.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
- CIS Kubernetes Benchmark 5.2.8, 5.2.9
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.checks.pss._fixes import DROP_ALL_CAPABILITIES
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS018",
    "capabilities-not-dropped",
    "Container does not drop ALL capabilities",
    Severity.MEDIUM,
    'Set capabilities.drop: ["ALL"] and add at most NET_BIND_SERVICE.',
    cis=("5.2.8", "5.2.9"),
    fix=DROP_ALL_CAPABILITIES,
)
