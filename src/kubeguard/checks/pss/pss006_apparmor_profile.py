"""AppArmor profile disabled or overridden.

## What it does
Flags an AppArmor profile other than `RuntimeDefault` or `Localhost` in
`securityContext.appArmorProfile.type` (pod or container level), and values other than empty,
`runtime/default` or `localhost/*` in the deprecated
`container.apparmor.security.beta.kubernetes.io/<container>` annotations (*AppArmor*, baseline).
Admission checks both the fields and the annotations at every policy version.

## Why it matters
`Unconfined` removes the mandatory access control the runtime applies by default, so a
compromised process can reach files and kernel interfaces the default profile denies.

## Example
```yaml
securityContext:
  appArmorProfile:
    type: Unconfined   # forbidden AppArmor profile
```

## Fix
Remove the override, or set `appArmorProfile.type: RuntimeDefault` (or `Localhost` with a
profile loaded on the nodes).

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS006",
    "apparmor-profile",
    "AppArmor profile disabled or overridden",
    Severity.MEDIUM,
    "Use the RuntimeDefault or a Localhost AppArmor profile; never Unconfined.",
    cis=(),
)
