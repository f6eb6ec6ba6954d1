"""Sensitive host path mounted.

## What it does
Flags `hostPath` volumes of pods and pod templates, and hostPath PersistentVolumes (a claim bound
to one mounts the same path into its pods), that expose a sensitive part of the node, and names
what they expose:
`/` (the whole filesystem), `/etc` (accounts, kubelet and kubeconfig files), `/etc/kubernetes`
and its `pki` folder (cluster credentials and CA keys), `/etc/ssl` and `/etc/pki` (TLS keys),
`/proc`, `/sys`, `/dev`, `/boot`, `/var/lib/kubelet` (every pod's Secrets and tokens),
`/var/lib/etcd`, the runtime storage folders (`/var/lib/docker`, `/var/lib/containerd`,
`/var/lib/containers`), `/var/log`, `/root` and `/home`.

The path is normalised first (`//`, trailing `/`, `.` and `..`). A path inside a sensitive folder
is named by the most specific one (`/etc/kubernetes/pki/ca.key` is the PKI folder); a folder that
holds sensitive ones is flagged with what it holds (`/var` holds `/var/lib/kubelet` and
`/var/log`). Runtime sockets are WKL013's. `readOnly: true` is not an excuse: reading these paths
is the danger. The one exception is the node's CA certificates (`/etc/ssl/certs`,
`/etc/pki/tls/certs`, `/etc/pki/ca-trust`): public material, flagged only when a container can
write to them (a volume that every container mounts with `readOnly: true` is not flagged).

## Why it matters
These paths hold the node's and the cluster's credentials or control the host kernel: a
container that mounts them can read every pod's Secrets, impersonate the kubelet, or take over
the node.

## Example
```yaml
volumes:
  - name: kubelet
    hostPath:
      path: /var/lib/kubelet/     # flagged: every pod's Secrets and service account tokens
```

## Fix
Mount only the narrowest path the workload needs, read-only, or use a Kubernetes volume type
(`configMap`, `secret`, `emptyDir`, a CSI driver) instead of `hostPath`.

## References
- https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.workload._host_paths import HOST_PATH_SCOPE, HOST_PATHS, describe, exposed, host_paths
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    for mount in host_paths(resource):
        found = exposed(mount.path, HOST_PATHS)
        if mount.read_only and all(entry.harmless_read_only for entry, _how in found):
            continue  # CA certificates, mounted read-only: public material
        if found:
            yield Violation(describe(mount, found), at=mount.pointer)


RULE = Rule(
    code="WKL014",
    slug="sensitive-host-path",
    title="Sensitive host path mounted",
    severity=Severity.HIGH,
    applies_to=HOST_PATH_SCOPE,
    check=check,
    remediation="Remove the hostPath volume or narrow it to a harmless path, mounted read-only.",
    references=("https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",),
)
