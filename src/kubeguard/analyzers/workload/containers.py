"""How rules name a container in their messages (shared by the workload and image families)."""

from __future__ import annotations

from kubeguard.model.workload import Container


def describe(c: Container) -> str:
    """``container 'app'``, ``init container 'migrate'``, ``sidecar container 'proxy'`` ..."""
    if c.is_sidecar:
        kind = "sidecar container"
    elif c.is_init:
        kind = "init container"
    elif c.is_ephemeral:
        kind = "ephemeral container"
    else:
        kind = "container"
    return f"{kind} {c.name!r}"
