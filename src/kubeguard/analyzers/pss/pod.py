"""A flat, read-only view of a pod template for Pod Security evaluation.

Built from the raw pod spec and pod metadata in one pass, with containers in the order Pod Security
Admission visits them (init containers, then containers, then ephemeral containers). Pointers are
built only when a check fails, so a passing pod costs no allocations beyond this view.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kubeguard.model.pointer import Pointer

EMPTY: dict[str, Any] = {}
_LISTS = ("initContainers", "containers", "ephemeralContainers")


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else EMPTY


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def text(value: Any) -> str:
    """A string field as the API would hold it: unset is the empty string."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


class PodContainer:
    """One container: its raw mapping, its own securityContext, and where it sits in the pod spec."""

    __slots__ = ("index", "list_name", "name", "raw", "sc", "seccomp_origin", "spec_pointer")

    def __init__(self, raw: dict[str, Any], list_name: str, index: int, spec_pointer: Pointer) -> None:
        self.raw = raw
        self.list_name = list_name
        self.index = index
        self.name = text(raw.get("name"))
        self.sc = as_dict(raw.get("securityContext"))
        self.spec_pointer = spec_pointer
        # Set when the API server would fill ``seccompProfile`` from an annotation (see seccomp_skew).
        self.seccomp_origin: Pointer | None = None

    @property
    def pointer(self) -> Pointer:
        return self.spec_pointer.join(self.list_name, self.index)

    def sc_pointer(self, *parts: str | int) -> Pointer:
        if self.seccomp_origin is not None and parts and parts[0] == "seccompProfile":
            return self.seccomp_origin
        return self.spec_pointer.join(self.list_name, self.index, "securityContext", *parts)


class Pod:
    """The pod as the checks see it: metadata, spec, pod-level securityContext, containers."""

    __slots__ = (
        "annotation_origins",
        "containers",
        "meta",
        "meta_pointer",
        "sc",
        "seccomp_origin",
        "spec",
        "spec_pointer",
        "synced_annotations",
    )

    def __init__(
        self, spec: dict[str, Any], meta: Mapping[str, Any], spec_pointer: Pointer, meta_pointer: Pointer
    ) -> None:
        self.spec = spec
        self.meta = meta
        self.spec_pointer = spec_pointer
        self.meta_pointer = meta_pointer
        self.sc = as_dict(spec.get("securityContext"))
        containers: list[PodContainer] = []
        for list_name in _LISTS:
            items = spec.get(list_name)
            if items.__class__ is list:
                for i, c in enumerate(items):
                    if c.__class__ is dict:
                        containers.append(PodContainer(c, list_name, i, spec_pointer))
        self.containers = containers
        # Set by seccomp_skew when the API server of the target version would sync seccomp
        # annotations and fields: the synced values and where each synthesized one came from.
        self.seccomp_origin: Pointer | None = None
        self.synced_annotations: dict[str, Any] | None = None
        self.annotation_origins: dict[str, Pointer] = {}

    def sc_pointer(self, *parts: str | int) -> Pointer:
        if self.seccomp_origin is not None and parts and parts[0] == "seccompProfile":
            return self.seccomp_origin
        return self.spec_pointer.join("securityContext", *parts)

    def annotation_pointer(self, key: str) -> Pointer:
        origin = self.annotation_origins.get(key)
        return origin if origin is not None else self.meta_pointer.join("annotations", key)

    @property
    def annotations(self) -> dict[str, Any]:
        if self.synced_annotations is not None:
            return self.synced_annotations
        return as_dict(self.meta.get("annotations"))

    @property
    def is_windows(self) -> bool:
        """``spec.os.name: windows`` exactly, as admission compares it."""
        return as_dict(self.spec.get("os")).get("name") == "windows"

    @property
    def in_user_namespace(self) -> bool:
        """``spec.hostUsers: false``: the pod runs in its own user namespace."""
        return self.spec.get("hostUsers") is False
