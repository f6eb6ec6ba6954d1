"""Volume type not allowed at the restricted level.

## What it does
At the restricted level, flags volumes that are not configMap, csi, downwardAPI, emptyDir,
ephemeral, image, persistentVolumeClaim, projected or secret (*Volume Types*, every version; it
replaces the baseline hostPath control at restricted). NOT_APPLICABLE at baseline. A volume that
names no source at all passes: the API server defaults it to emptyDir before admission sees it.

## Why it matters
Other volume types (hostPath, nfs, iscsi, rbd, ...) reach storage directly, bypassing
PersistentVolumes and the administrator's control over them.

## Example
```yaml
volumes:
  - name: data
    nfs: {server: nfs.example.com, path: /exports}   # restricted volume types
```

## Fix
Define the storage as a PersistentVolume and mount it through a PersistentVolumeClaim.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
- CIS Kubernetes Benchmark 5.2.11
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS013",
    "restricted-volume-types",
    "Volume type not allowed at the restricted level",
    Severity.MEDIUM,
    "Use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volumes.",
    cis=("5.2.11",),
)
