"""Which containers the workload rules judge (and how they name them)."""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.workload.containers import describe
from kubeguard.model.workload import Container, Workload

__all__ = ["describe", "long_running", "non_ephemeral", "runs_on_windows"]


def non_ephemeral(workload: Workload) -> Iterator[Container]:
    """Regular and init containers: ephemeral debug containers are started by hand and cannot set
    resources, probes or ports, so the hardening rules do not judge them."""
    for c in workload.containers():
        if not c.is_ephemeral:
            yield c


def long_running(workload: Workload) -> Iterator[Container]:
    """Containers that run for the pod's lifetime: regular containers and restartable (sidecar) init
    containers. Plain init containers run to completion before the app starts."""
    for c in workload.containers():
        if c.kind == "container" or c.is_sidecar:
            yield c


_OS_LABELS = ("kubernetes.io/os", "beta.kubernetes.io/os")


def runs_on_windows(workload: Workload) -> bool:
    """Pods that can only run on Windows nodes: ``spec.os.name: windows``, a nodeSelector on the
    node's OS label (``kubernetes.io/os: windows``, how most Windows manifests say it), or a
    HostProcess pod (a Windows-only feature). Linux-only securityContext fields do nothing there."""
    if workload.os_name == "windows":
        return True
    selector = workload.spec.get("nodeSelector")
    if isinstance(selector, dict) and any(selector.get(label) == "windows" for label in _OS_LABELS):
        return True
    sc = workload.spec.get("securityContext")
    options = sc.get("windowsOptions") if isinstance(sc, dict) else None
    return isinstance(options, dict) and options.get("hostProcess") is True
