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
from kubeguard.model.resource import Resource
from kubeguard.model.workload import Workload
from kubeguard.rules.rule import Scope


@dataclass(frozen=True, slots=True)
class SensitivePath:
    path: str
    name: str
    danger: str
    socket: bool = False
    # Public material (CA certificates): dangerous to write, harmless to read.
    harmless_read_only: bool = False


_RUNTIME = "full control of the node's containers, which is root on the node"

SOCKETS = tuple(
    SensitivePath(p, n, _RUNTIME, socket=True)
    for p, n in (
        ("/var/run/docker.sock", "Docker socket"),
        ("/run/docker.sock", "Docker socket"),
        ("/var/run/cri-dockerd.sock", "cri-dockerd socket"),
        ("/run/cri-dockerd.sock", "cri-dockerd socket"),
        ("/var/run/containerd/containerd.sock", "containerd socket"),
        ("/run/containerd/containerd.sock", "containerd socket"),
        ("/run/k3s/containerd/containerd.sock", "k3s containerd socket"),
        ("/var/snap/microk8s/common/run/containerd.sock", "MicroK8s containerd socket"),
        ("/var/run/crio/crio.sock", "CRI-O socket"),
        ("/run/crio/crio.sock", "CRI-O socket"),
        ("/var/run/podman/podman.sock", "Podman socket"),
        ("/run/podman/podman.sock", "Podman socket"),
    )
)

_RUNTIME_STORAGE = "every container's filesystem and image layers"
_TLS = "TLS private keys and the node's trust store"
_TRUST = "the node's trust store: written to, it makes the node trust any certificate"

_CA_CERTIFICATES = ("/etc/ssl/certs", "/etc/pki/tls/certs", "/etc/pki/ca-trust")

HOST_PATHS = tuple(
    SensitivePath(p, n, d, harmless_read_only=p in _CA_CERTIFICATES)
    for p, n, d in (
        (
            "/",
            "host root filesystem",
            "everything on the node: its credentials, every pod's data, the kernel's controls",
        ),
        (
            "/etc",
            "node configuration",
            "accounts and password hashes, kubelet configuration and kubeconfig files",
        ),
        (
            "/etc/kubernetes",
            "Kubernetes configuration",
            "kubeconfigs with cluster credentials and static pod manifests",
        ),
        ("/etc/kubernetes/pki", "cluster PKI", "the cluster's CA and component private keys"),
        ("/etc/ssl", "TLS keys", _TLS),
        ("/etc/pki", "TLS keys", _TLS),
        ("/etc/ssl/certs", "CA certificates", _TRUST),
        ("/etc/pki/tls/certs", "CA certificates", _TRUST),
        ("/etc/pki/ca-trust", "CA certificates", _TRUST),
        ("/proc", "host /proc", "every host process's memory and environment, and kernel tunables"),
        ("/sys", "host /sys", "kernel and cgroup controls and the host's devices"),
        ("/dev", "host devices", "raw disks and memory of the node"),
        ("/boot", "boot files", "the node's kernel and boot loader"),
        ("/var/lib/kubelet", "kubelet state", "every pod's Secrets, service account tokens and volumes"),
        ("/var/lib/etcd", "etcd data", "every object and Secret of the cluster"),
        ("/var/lib/docker", "Docker storage", _RUNTIME_STORAGE),
        ("/var/lib/containerd", "containerd storage", _RUNTIME_STORAGE),
        ("/var/lib/containers", "CRI-O/Podman storage", _RUNTIME_STORAGE),
        (
            "/var/log",
            "node and pod logs",
            "logs that may hold secrets; writable, a way to read any host file through log symlinks",
        ),
        ("/root", "root's home", "SSH keys, kubeconfigs and shell history of root"),
        ("/home", "users' homes", "SSH keys and credentials of the node's users"),
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
    seen = {container.name} if container is not None else set()
    for entry in table:
        if entry.path != path and _inside(entry.path, path) and entry.name not in seen:
            seen.add(entry.name)
            out.append((entry, "contains"))
    return out


@dataclass(frozen=True, slots=True)
class HostPathMount:
    owner: str
    path: str
    written: str
    pointer: Pointer
    read_only: bool = False  # mounted, and only with ``readOnly: true``


def _is_persistent_volume(r: Resource) -> bool:
    return r.kind == "PersistentVolume" and r.group == ""


#: Pods and pod templates (their ``hostPath`` volumes) and PersistentVolumes (``spec.hostPath``):
#: a claim bound to a hostPath PersistentVolume mounts the same host path into the pod.
HOST_PATH_SCOPE = Scope(
    "workloads and PersistentVolumes",
    lambda r: _is_persistent_volume(r) or r.workload is not None,
)


def host_paths(resource: Resource) -> Iterator[HostPathMount]:
    if _is_persistent_volume(resource):
        spec = resource.raw.get("spec")
        host = spec.get("hostPath") if isinstance(spec, dict) else None
        written = host.get("path") if isinstance(host, dict) else None
        path = normalise(written)
        if path is not None:
            yield HostPathMount(
                "PersistentVolume hostPath", path, str(written), Pointer(("spec", "hostPath", "path"))
            )
        return
    workload = resource.workload
    if workload is None:
        return
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
            name = str(vol.get("name") or f"#{i}")
            yield HostPathMount(
                f"hostPath volume {name!r}",
                path,
                str(written),
                base / i / "hostPath" / "path",
                _mounted_read_only(workload, vol.get("name")),
            )


def _mounted_read_only(workload: Workload, volume: Any) -> bool:
    """True when containers mount the volume, every one of them with ``readOnly: true``."""
    flags: list[bool] = []
    for c in workload.containers():
        mounts = c.raw.get("volumeMounts")
        if isinstance(mounts, list):
            flags += [
                m.get("readOnly") is True for m in mounts if isinstance(m, dict) and m.get("name") == volume
            ]
    return bool(flags) and all(flags)


def describe(mount: HostPathMount, found: list[tuple[SensitivePath, str]]) -> str:
    """``hostPath volume 'x' mounts /var/lib/kubelet/ (that is /var/lib/kubelet): kubelet state (...)``."""
    shown = mount.written if mount.written == mount.path else f"{mount.written} (that is {mount.path})"
    head = f"{mount.owner} mounts {shown}"
    direct = [(e, how) for e, how in found if how != "contains"]
    held = [e for e, how in found if how == "contains"]
    held_text = ", ".join(f"{e.path} ({e.name})" for e in held)
    if direct:
        entry, how = direct[0]
        where = entry.name if how == "is" else f"inside {entry.path} ({entry.name})"
        text = f"{head}: {where}, {entry.danger}"
        return text + (f"; it also holds {held_text}" if held else "")
    dangers = {e.danger for e in held}
    if len(dangers) == 1:
        return f"{head}, which holds {held_text}: {dangers.pop()}"
    return f"{head}, which holds {held_text}"
