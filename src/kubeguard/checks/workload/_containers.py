"""Which containers the workload rules judge (and how they name them)."""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.workload.containers import describe
from kubeguard.model.workload import Container, Workload

__all__ = ["describe", "long_running", "non_ephemeral"]


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
