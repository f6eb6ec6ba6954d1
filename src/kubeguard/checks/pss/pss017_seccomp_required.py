"""Seccomp profile not set to RuntimeDefault or Localhost.

## What it does
At the restricted level from v1.19, requires `seccompProfile.type` `RuntimeDefault` or
`Localhost` on the pod (inherited by containers that leave it unset) or on every container; an
explicit other value anywhere is flagged. From v1.25 pods with `spec.os.name: windows` are exempt.
It replaces the baseline seccomp control (PSS009) at restricted. NOT_APPLICABLE at baseline and
before v1.19.

The old annotations are judged as the API server of the target version (`--k8s-version`) treats
them: from v1.19 to v1.26 it fills an unset `seccompProfile` field from the annotation when the pod is
created (`unconfined` -> `Unconfined`, `runtime/default` and `docker/default` -> `RuntimeDefault`,
`localhost/<p>` -> `Localhost`), so the field it makes is judged and the finding points at the
annotation; up to v1.24 it also fills a missing annotation from the field. From v1.27 (and at
`latest`) the annotations do nothing and are not judged (kubelets ignore them since v1.25).

## Why it matters
Unset seccomp means `Unconfined` on many runtimes: every system call is available, including
those used in kernel exploits.

## Example
```yaml
spec:
  containers:
    - name: app   # seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")
      image: registry.example.com/app:1.4.2
```

## Fix
Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
- https://github.com/kubernetes/kubernetes/pull/109819 (v1.25: annotations partly removed)
- https://github.com/kubernetes/kubernetes/pull/114947 (v1.27: annotations non-functional)
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.checks.pss._fixes import SECCOMP_RUNTIME_DEFAULT
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS017",
    "seccomp-required",
    "Seccomp profile not set to RuntimeDefault or Localhost",
    Severity.LOW,
    "Set securityContext.seccompProfile.type: RuntimeDefault on the pod.",
    cis=(),
    fix=SECCOMP_RUNTIME_DEFAULT,
)
