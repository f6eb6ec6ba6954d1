"""Pod mounts a hostPath volume.

## What it does
Flags pods with a `hostPath` volume (*HostPath Volumes*, baseline, every version). At the
restricted level the *Volume types* control (PSS013) replaces this one and reports hostPath among
other restricted volume types; this rule is then NOT_APPLICABLE.

## Why it matters
A hostPath volume exposes the node's filesystem: the kubelet's credentials, the container
runtime socket, other pods' data. Write access is a path to the node.

## Example
```yaml
volumes:
  - name: docker
    hostPath: {path: /var/run/docker.sock}   # hostPath volumes (volume "docker")
```

## Fix
Use an `emptyDir`, a `configMap`/`secret`, or a PersistentVolumeClaim instead.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
- CIS Kubernetes Benchmark 5.2.11
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS004",
    "hostpath-volumes",
    "Pod mounts a hostPath volume",
    Severity.HIGH,
    "Replace hostPath volumes with emptyDir, configMap, secret or a PersistentVolumeClaim.",
    cis=("5.2.11",),
)
