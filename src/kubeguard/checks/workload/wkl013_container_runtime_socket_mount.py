"""Container runtime socket mounted from the host.

## What it does
Flags `hostPath` volumes of pods and pod templates, and hostPath PersistentVolumes (a claim bound
to one mounts the same path into its pods), that expose a container runtime socket of the node: the Docker socket
(`/var/run/docker.sock`, `/run/docker.sock`, cri-dockerd), containerd
(`/run/containerd/containerd.sock`, k3s and MicroK8s variants), CRI-O (`/var/run/crio/crio.sock`)
or Podman. The path is normalised first (`//`, trailing `/`, `..`), and a folder that holds a
socket counts too (`/var/run`, `/run/containerd`, `/var`, `/`). `readOnly` does not help: a
read-only mount still lets the process connect to the socket.

## Why it matters
Whoever can talk to the runtime socket can start a privileged container with the host's root
filesystem mounted: it is root on the node, and from there every Secret of every pod on it.

## Example
```yaml
volumes:
  - name: docker
    hostPath:
      path: /var/run/docker.sock     # flagged
```

## Fix
Do not mount the runtime socket. Build images with a daemonless builder (BuildKit rootless,
Kaniko, Buildah) and read container metadata through the Kubernetes API instead.

## References
- https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.workload._host_paths import HOST_PATH_SCOPE, SOCKETS, describe, exposed, host_paths
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    for mount in host_paths(resource):
        found = exposed(mount.path, SOCKETS)
        if found:
            yield Violation(describe(mount, found), at=mount.pointer)


RULE = Rule(
    code="WKL013",
    slug="container-runtime-socket-mount",
    title="Container runtime socket mounted from the host",
    severity=Severity.CRITICAL,
    applies_to=HOST_PATH_SCOPE,
    check=check,
    remediation="Remove the hostPath volume that exposes the container runtime socket.",
    references=("https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",),
)
