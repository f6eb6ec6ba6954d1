"""The pod as the Pod Security checks read it: the model's one pod view, and value helpers.

The checks read :class:`~kubeguard.model.workload.PodTemplate` (the same view the workload rules
read): containers in the order Pod Security Admission visits them (init, regular, ephemeral), each
container's securityContext as written (``own_sc``) and the pod's (``pod_sc``). Each upstream check
revision applies its own precedence between the two on top of it.

:class:`SkewedPod` is a private copy for one evaluation when the target version's API server would
change the pod before admission (see :mod:`.seccomp_skew`); the shared view is never changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from kubeguard.model.pointer import Pointer
from kubeguard.model.workload import Container, PodTemplate

Pod = PodTemplate
PodContainer = Container

EMPTY: Mapping[str, Any] = MappingProxyType({})


def as_dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else EMPTY


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def text(value: Any) -> str:
    """A string field as the API would hold it: unset is the empty string."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


class SkewedContainer(Container):
    """A container of a :class:`SkewedPod`: a ``seccompProfile`` the API server would fill from an
    annotation points at that annotation."""

    __slots__ = ("seccomp_origin",)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.seccomp_origin: Pointer | None = None

    def sc_pointer(self, *parts: str | int) -> Pointer:
        if self.seccomp_origin is not None and parts and parts[0] == "seccompProfile":
            return self.seccomp_origin
        return super().sc_pointer(*parts)


class SkewedPod(PodTemplate):
    """A copy of a pod view with the seccomp fields and annotations that the target version's API
    server would sync, and where each synthesized value came from."""

    __slots__ = ("annotation_origins", "seccomp_origin", "synced_annotations")

    container_type = SkewedContainer

    def __init__(self, base: PodTemplate) -> None:
        super().__init__(base.spec, base.spec_pointer, base.meta, base.meta_pointer)
        self.seccomp_origin: Pointer | None = None
        self.synced_annotations: dict[str, Any] | None = None
        self.annotation_origins: dict[str, Pointer] = {}

    def containers(self) -> list[SkewedContainer]:  # type: ignore[override]
        return super().containers()  # type: ignore[return-value]

    def sc_pointer(self, *parts: str | int) -> Pointer:
        if self.seccomp_origin is not None and parts and parts[0] == "seccompProfile":
            return self.seccomp_origin
        return super().sc_pointer(*parts)

    def annotation_pointer(self, key: str) -> Pointer:
        origin = self.annotation_origins.get(key)
        return origin if origin is not None else super().annotation_pointer(key)

    @property
    def annotations(self) -> Mapping[str, Any]:
        if self.synced_annotations is not None:
            return self.synced_annotations
        return super().annotations
