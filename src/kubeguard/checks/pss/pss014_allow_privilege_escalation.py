"""Container allows privilege escalation.

## What it does
At the restricted level from v1.8, flags every container, init container and ephemeral
container that does not set `securityContext.allowPrivilegeEscalation: false` (unset is flagged).
From v1.25 pods with `spec.os.name: windows` are exempt. NOT_APPLICABLE at baseline.

## Why it matters
Without `allowPrivilegeEscalation: false` a process can gain more privileges than its parent
(setuid binaries, file capabilities), for example become root inside the container.

## Example
```yaml
containers:
  - name: app
    image: registry.example.com/app:1.4.2
    # allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false)
```

## Fix
Set `securityContext.allowPrivilegeEscalation: false` in every container.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
- CIS Kubernetes Benchmark 5.2.6
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.checks.pss._fixes import NO_PRIVILEGE_ESCALATION
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS014",
    "allow-privilege-escalation",
    "Container allows privilege escalation",
    Severity.MEDIUM,
    "Set securityContext.allowPrivilegeEscalation: false in every container.",
    cis=("5.2.6",),
    fix=NO_PRIVILEGE_ESCALATION,
)
