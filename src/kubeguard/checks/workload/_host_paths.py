"""Sensitive host paths and what mounting them exposes.

A hostPath is compared after normalisation (``//``, trailing ``/``, ``.`` and ``..`` resolved the
way the node resolves them). A mount is sensitive when it is a sensitive path, lies inside one
(``/etc/kubernetes/admin.conf`` is inside ``/etc``), or contains one (``/var`` holds
``/var/lib/kubelet``); the most specific entry names the danger.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kubeguard.model.pointer import Pointer
from kubeguard.model.workload import Workload


@dataclass(frozen=True, slots=True)
class SensitivePath:
    path: str
    danger: str
    socket: bool = False


_DOCKER = "the Docker socket: full control of the node's containers, which is root on the node"
_CONTAINERD = "the containerd socket: full control of the node's containers, which is root on the node"
_CRIO = "the CRI-O socket: full control of the node's containers, which is root on the node"
_PODMAN = "the Podman socket: full control of the node's containers, which is root on the node"

SOCKETS = tuple(
    SensitivePath(p, d, socket=True)
    for p, d in (
        ("/var/run/docker.sock", _DOCKER),
        ("/run/docker.sock", _DOCKER),
        ("/var/run/cri-dockerd.sock", _DOCKER),
        ("/run/cri-dockerd.sock", _DOCKER),
        ("/var/run/containerd/containerd.sock", _CONTAINERD),
        ("/run/containerd/containerd.sock", _CONTAINERD),
        ("/run/k3s/containerd/containerd.sock", _CONTAINERD),
        ("/var/snap/microk8s/common/run/containerd.sock", _CONTAINERD),
        ("/var/run/crio/crio.sock", _CRIO),
        ("/run/crio/crio.sock", _CRIO),
        ("/var/run/podman/podman.sock", _PODMAN),
        ("/run/podman/podman.sock", _PODMAN),
    )
)

HOST_PATHS = tuple(
    SensitivePath(p, d)
    for p, d in (
        ("/", "the node's whole root filesystem"),
        ("/etc", "the node's configuration: accounts and password hashes, kubelet and kubeconfig files"),
        (
            "/etc/kubernetes",
            "Kubernetes node configuration: kubeconfigs with cluster credentials, static pod manifests",
        ),
        ("/etc/kubernetes/pki", "the cluster's PKI: CA and component private keys"),
        ("/etc/ssl", "TLS certificates and private keys, the node's trust store"),
        ("/etc/pki", "TLS certificates and private keys, the node's trust store"),
        ("/proc", "the host's processes: their memory, environment and kernel tunables"),
        ("/sys", "kernel and cgroup controls and devices of the host"),
        ("/dev", "the host's device nodes (raw disks, memory)"),
        ("/boot", "the node's kernel and boot loader"),
        ("/var/lib/kubelet", "kubelet state: every pod's Secrets, service account tokens and volumes"),
        ("/var/lib/etcd", "etcd data: every object and Secret of the cluster"),
        ("/var/lib/docker", "container runtime storage: every container's filesystem"),
        ("/var/lib/containerd", "container runtime storage: every container's filesystem"),
        ("/var/lib/containers", "container runtime storage: every container's filesystem"),
        (
            "/var/log",
            "the node's and every pod's logs (and, writable, a way to read any host file through log symlinks)",
        ),
        ("/root", "root's home directory: SSH keys, kubeconfigs, shell history"),
        ("/home", "users' home directories: SSH keys and credentials"),
    )
)


def normalise(path: Any) -> str | None:
    """The absolute, normalised form of a hostPath; ``None`` when it is not an absolute POSIX path."""
    if not isinstance(path, str) or not path.startswith("/"):
        return None
    return "/" + posixpath.normpath(path).lstrip("/") if path.strip("/") else "/"


def _inside(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent + "/") or (parent == "/" and path != "/")


def exposed(path: str, table: tuple[SensitivePath, ...]) -> list[tuple[SensitivePath, str]]:
    """What mounting ``path`` exposes from ``table``: ``[(entry, how)]`` with ``how`` one of
    ``is``, ``inside`` (the most specific entry that contains the path) and ``contains``."""
    container = next((e for e in table if e.path == "/" and path == "/"), None)
    for entry in table:
        # "/" is sensitive as itself only: everything lies inside it.
        if (
            entry.path != "/"
            and _inside(path, entry.path)
            and (container is None or len(entry.path) > len(container.path))
        ):
            container = entry
    out: list[tuple[SensitivePath, str]] = []
    if container is not None:
        out.append((container, "is" if container.path == path else "inside"))
    if path == "/" and container is not None:
        return out  # the whole filesystem: listing what it holds adds nothing
    if path == "/":
        return [(entry, "contains") for entry in table[:1]]
    seen = {container.danger} if container is not None else set()
    for entry in table:
        if entry.path != path and _inside(entry.path, path) and entry.danger not in seen:
            seen.add(entry.danger)
            out.append((entry, "contains"))
    return out


@dataclass(frozen=True, slots=True)
class HostPathMount:
    volume: str
    path: str
    written: str
    pointer: Pointer


def host_paths(workload: Workload) -> Iterator[HostPathMount]:
    base = workload.spec_pointer / "volumes"
    vols = workload.spec.get("volumes")
    if not isinstance(vols, list):
        return
    for i, vol in enumerate(vols):
        if not isinstance(vol, dict) or not isinstance(vol.get("hostPath"), dict):
            continue
        written = vol["hostPath"].get("path")
        path = normalise(written)
        if path is not None:
            yield HostPathMount(
                str(vol.get("name") or f"#{i}"), path, str(written), base / i / "hostPath" / "path"
            )


def describe(mount: HostPathMount, found: list[tuple[SensitivePath, str]]) -> str:
    shown = mount.written if mount.written == mount.path else f"{mount.written} (that is {mount.path})"
    head = f"hostPath volume {mount.volume!r} mounts {shown}"
    parts = []
    for entry, how in found:
        if how == "is":
            parts.append(entry.danger)
        elif how == "inside":
            parts.append(f"inside {entry.path}, {entry.danger}")
        else:
            parts.append(f"holds {entry.path}, {entry.danger}")
    return head + ": " + "; ".join(parts)
