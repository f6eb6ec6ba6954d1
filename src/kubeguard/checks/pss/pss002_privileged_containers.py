"""Privileged container.

## What it does
Flags every container, init container and ephemeral container with
`securityContext.privileged: true` (*Privileged Containers*, baseline, every version). Unset and
`false` are allowed. YAML 1.1 spellings (`yes`, `on`) are booleans, as Kubernetes reads them.

## Why it matters
A privileged container gets every capability and every host device, and most security
mechanisms are off: escaping to the node is trivial.

## Example
```yaml
containers:
  - name: app
    image: registry.example.com/app:1.4.2
    securityContext:
      privileged: true   # privileged (container "app" must not set securityContext.privileged=true)
```

## Fix
Remove `privileged: true`. Grant only the specific capability the workload needs, if any.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
- CIS Kubernetes Benchmark 5.2.2
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.checks.pss._fixes import NOT_PRIVILEGED
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS002",
    "privileged-containers",
    "Privileged container",
    Severity.CRITICAL,
    "Remove securityContext.privileged or set it to false.",
    cis=("5.2.2",),
    fix=NOT_PRIVILEGED,
)
