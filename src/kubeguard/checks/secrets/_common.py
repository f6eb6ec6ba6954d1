"""Helpers shared by the secrets rules (no rule here)."""

from __future__ import annotations

from kubeguard.model.workload import Container

#: Annotations kubeguard reads itself; their text is never judged as a credential.
OWN_ANNOTATION_PREFIXES = ("ignore.kubeguard.io/", "test.kubeguard.io/")

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def container_label(c: Container) -> str:
    what = {"initContainer": "init container", "ephemeralContainer": "ephemeral container"}.get(
        c.kind, "container"
    )
    return f"{what} {c.name!r}"
