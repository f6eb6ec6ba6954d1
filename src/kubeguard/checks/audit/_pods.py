"""Reading the pod a request creates, for the AUD rules about pods: host paths, host namespaces,
capabilities, and which containers an image allow-list does not cover.

Only shapes, no decisions (each rule decides what counts); every helper tolerates any JSON.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from kubeguard.checks.audit._events import container_label, containers, image_in, image_of
from kubeguard.rules.audit import AllowList

#: Namespaces of the cluster's own components, where Falco watches pod and service account creation.
KUBE_NAMESPACES = ("kube-system", "kube-public")

#: ``.kubeguard.yaml`` ``audit.sensitiveHostPaths`` (AUD006; AUD064 reports the other host paths).
SENSITIVE_PATHS = "sensitiveHostPaths"

#: Falco's ``sensitive_vol_mount`` paths, Panther's additions, and the ``/run`` spellings of the
#: ``/var/run`` sockets (``/var/run`` links to ``/run`` on current distributions).
DEFAULT_SENSITIVE_PATHS = (
    "/proc",
    "/var/run/docker.sock",
    "/",
    "/etc",
    "/root",
    "/var/run/crio/crio.sock",
    "/run/containerd/containerd.sock",
    "/home/admin",
    "/var/lib/kubelet",
    "/var/lib/kubelet/pki",
    "/etc/kubernetes",
    "/etc/kubernetes/manifests",
    "/sys",
    "/var/lib/docker",
    "/var/lib/docker/overlay2",
    "/etc/kubernetes/pki",
    "/run/docker.sock",
    "/run/crio/crio.sock",
    "/var/run/containerd/containerd.sock",
)


def normal_host_path(path: Any) -> str | None:
    """A hostPath as Linux resolves it, for comparison: ``/etc/``, ``//etc`` and ``/etc/.`` are ``/etc``
    (``..`` is resolved too: the kubelet does not forbid it). None when not an absolute path."""
    if not isinstance(path, str) or not path.startswith("/"):
        return None
    return "/" + posixpath.normpath(path).lstrip("/")


def host_paths(spec: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """``(volume name, normalised path)`` of each hostPath volume of a PodSpec."""
    volumes = spec.get("volumes")
    if not isinstance(volumes, list):
        return
    for vol in volumes:
        source = vol.get("hostPath") if isinstance(vol, dict) else None
        if isinstance(source, dict):
            path = normal_host_path(source.get("path"))
            if path is not None:
                name = vol.get("name")
                yield (name if isinstance(name, str) else "?"), path


def all_images_in(spec: dict[str, Any], allowed: AllowList) -> bool:
    """Whether every container of the pod (init, regular, ephemeral) runs an allowed image; False for
    a pod without containers. Falco exempts a pod when its images are all trusted; kubeguard also
    counts init and ephemeral containers, so that a trusted main image cannot carry an untrusted one."""
    found = False
    for _list, _i, c in containers(spec):
        found = True
        if not image_in(image_of(c), allowed):
            return False
    return found


def untrusted_images(spec: dict[str, Any], allowed: AllowList) -> list[str]:
    """Labels (``container 'x' (image)``) of the containers whose image is not allowed."""
    return [
        f"{container_label(list_name, c)} ({image_of(c) or 'no image'})"
        for list_name, _i, c in containers(spec)
        if not image_in(image_of(c), allowed)
    ]


def added_capabilities(container: dict[str, Any]) -> list[str]:
    """``securityContext.capabilities.add`` of a container, upper-cased without a ``CAP_`` prefix
    (the runtime accepts both spellings)."""
    sc = container.get("securityContext")
    caps = sc.get("capabilities") if isinstance(sc, dict) else None
    add = caps.get("add") if isinstance(caps, dict) else None
    if not isinstance(add, list):
        return []
    out = []
    for cap in add:
        if isinstance(cap, str):
            name = cap.strip().upper()
            out.append(name[4:] if name.startswith("CAP_") else name)
    return out


def host_namespace_message(event_who: str, pod: str, field: str, spec: dict[str, Any]) -> str:
    """The alert message of the host-namespace rules (hostNetwork, hostPID, hostIPC)."""
    images = sorted({image_of(c) or "no image" for _l, _i, c in containers(spec)})
    return f"{event_who} created pod {pod} with {field}: true (images: {', '.join(images) or 'none'})"
