"""The pod template of any workload: Pods, every built-in controller, and custom resources that
embed a pod template (found by shape).

This is the one view of a pod that every rule family reads (the workload rules and the Pod
Security checks alike): containers in Kubernetes' own order (init, regular, ephemeral, as the API
server and Pod Security Admission visit them), each with its securityContext as written and its
effective securityContext (pod-level fields inherited where Kubernetes inherits them), and one
answer to "is this a Windows pod". Pod Security keeps its own per-revision rules on top of it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from kubeguard.model.kinds import BUILTIN_KINDS, POD_SPEC_PATHS
from kubeguard.model.pointer import ROOT, Pointer

if TYPE_CHECKING:
    from kubeguard.model.resource import Resource

# PodSecurityContext fields that a container inherits unless its own securityContext sets them.
INHERITED_FIELDS = (
    "runAsUser",
    "runAsGroup",
    "runAsNonRoot",
    "seLinuxOptions",
    "seccompProfile",
    "windowsOptions",
    "appArmorProfile",
)

#: (field of the pod spec, container kind), in the order Kubernetes visits containers.
CONTAINER_LISTS = (
    ("initContainers", "initContainer"),
    ("containers", "container"),
    ("ephemeralContainers", "ephemeralContainer"),
)
_LIST_OF_KIND = {kind: field for field, kind in CONTAINER_LISTS}

# Node labels that pin a pod to an operating system.
_OS_LABELS = ("kubernetes.io/os", "beta.kubernetes.io/os")

#: The value of an absent or malformed mapping field; read-only, because it is shared by every caller.
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else _EMPTY


class SecurityContext:
    """A container's effective securityContext.

    ``get(field)`` returns the value that applies (container first, then the inherited pod-level
    value) and ``pointer(field)`` the field where it was set, or where it should be set when unset.
    Fields that Kubernetes does not inherit (privileged, allowPrivilegeEscalation, capabilities,
    readOnlyRootFilesystem, procMount) come from the container only.
    """

    __slots__ = ("_container", "_container_ptr", "_pod", "_pod_ptr")

    def __init__(
        self, container: Mapping[str, Any], container_ptr: Pointer, pod: Mapping[str, Any], pod_ptr: Pointer
    ) -> None:
        self._container = container
        self._container_ptr = container_ptr
        self._pod = pod
        self._pod_ptr = pod_ptr

    def get(self, field: str, default: Any = None) -> Any:
        value = self._container.get(field)
        if value is not None:
            return value
        if field in INHERITED_FIELDS:
            value = self._pod.get(field)
            if value is not None:
                return value
        return default

    def source(self, field: str) -> str | None:
        """``container``, ``pod`` or ``None``: where the effective value comes from."""
        if self._container.get(field) is not None:
            return "container"
        if field in INHERITED_FIELDS and self._pod.get(field) is not None:
            return "pod"
        return None

    def pointer(self, field: str) -> Pointer:
        """Where the effective value is set; the container's own field when it is unset."""
        if self.source(field) == "pod":
            return self._pod_ptr / field
        return self._container_ptr / field

    @property
    def container_level(self) -> Mapping[str, Any]:
        return self._container

    @property
    def pod_level(self) -> Mapping[str, Any]:
        return self._pod

    # Convenience accessors for the fields most rules read.
    @property
    def privileged(self) -> Any:
        return self._container.get("privileged")

    @property
    def allow_privilege_escalation(self) -> Any:
        return self._container.get("allowPrivilegeEscalation")

    @property
    def read_only_root_filesystem(self) -> Any:
        return self._container.get("readOnlyRootFilesystem")

    @property
    def run_as_user(self) -> Any:
        return self.get("runAsUser")

    @property
    def run_as_group(self) -> Any:
        return self.get("runAsGroup")

    @property
    def run_as_non_root(self) -> Any:
        return self.get("runAsNonRoot")

    @property
    def capabilities(self) -> Mapping[str, Any]:
        return _dict(self._container.get("capabilities"))

    @property
    def seccomp_type(self) -> Any:
        return _dict(self.get("seccompProfile")).get("type")


class Container:
    """One container of a pod template (regular, init or ephemeral).

    ``own_sc`` is its securityContext as written; ``security_context`` the effective one, with
    pod-level values inherited. ``name`` names it for people (``#index`` when unnamed);
    ``declared_name`` is the field as the API holds it (empty when unset).
    """

    __slots__ = (
        "_sc",
        "declared_name",
        "index",
        "kind",
        "list_name",
        "own_sc",
        "pod_sc_pointer",
        "pod_security_context",
        "pointer",
        "raw",
    )

    def __init__(
        self,
        raw: dict[str, Any],
        kind: str,
        index: int,
        pointer: Pointer,
        pod_security_context: Mapping[str, Any],
        pod_sc_pointer: Pointer,
    ) -> None:
        self.raw = raw
        self.kind = kind
        self.list_name = _LIST_OF_KIND[kind]
        self.index = index
        self.pointer = pointer
        self.pod_security_context = pod_security_context
        self.pod_sc_pointer = pod_sc_pointer
        self.own_sc = _dict(raw.get("securityContext"))
        name = raw.get("name")
        self.declared_name = "" if name is None else name if isinstance(name, str) else str(name)
        self._sc: SecurityContext | None = None

    @property
    def name(self) -> str:
        return str(self.raw.get("name") or f"#{self.index}")

    def sc_pointer(self, *parts: str | int) -> Pointer:
        """A field of the container's own securityContext."""
        return self.pointer.join("securityContext", *parts)

    @property
    def image(self) -> str:
        image = self.raw.get("image")
        return image if isinstance(image, str) else ""

    @property
    def is_init(self) -> bool:
        return self.kind == "initContainer"

    @property
    def is_ephemeral(self) -> bool:
        return self.kind == "ephemeralContainer"

    @property
    def is_sidecar(self) -> bool:
        """A restartable init container (``restartPolicy: Always``) runs beside the app (1.28+)."""
        return self.kind == "initContainer" and self.raw.get("restartPolicy") == "Always"

    @property
    def security_context(self) -> SecurityContext:
        if self._sc is None:
            self._sc = SecurityContext(
                self.own_sc,
                self.pointer / "securityContext",
                self.pod_security_context,
                self.pod_sc_pointer,
            )
        return self._sc

    def __repr__(self) -> str:
        return f"Container({self.kind} {self.name!r})"


class PodTemplate:
    """A pod spec and its metadata, with the pointers where they sit in their object."""

    __slots__ = ("_containers", "meta", "meta_pointer", "pod_sc", "spec", "spec_pointer")

    #: The class of the views :meth:`containers` makes (a derived pod view may use its own).
    container_type: type[Container] = Container

    def __init__(
        self,
        spec: dict[str, Any],
        spec_pointer: Pointer,
        meta: Mapping[str, Any],
        meta_pointer: Pointer,
    ) -> None:
        self.spec = spec
        self.spec_pointer = spec_pointer
        self.meta = meta
        self.meta_pointer = meta_pointer
        self.pod_sc = _dict(spec.get("securityContext"))
        self._containers: list[Container] | None = None

    @property
    def labels(self) -> Mapping[str, str]:
        """Labels of the pods this template creates."""
        return _dict(self.meta.get("labels"))

    @property
    def annotations(self) -> Mapping[str, str]:
        """Annotations of the pods this template creates."""
        return _dict(self.meta.get("annotations"))

    def annotation_pointer(self, key: str) -> Pointer:
        return self.meta_pointer.join("annotations", key)

    @property
    def security_context(self) -> Mapping[str, Any]:
        """The pod-level securityContext as written."""
        return self.pod_sc

    @property
    def security_context_pointer(self) -> Pointer:
        return self.spec_pointer / "securityContext"

    def sc_pointer(self, *parts: str | int) -> Pointer:
        """A field of the pod-level securityContext."""
        return self.spec_pointer.join("securityContext", *parts)

    def containers(self) -> list[Container]:
        """All containers in Kubernetes' order: init, then regular, then ephemeral."""
        if self._containers is None:
            out: list[Container] = []
            pod_sc = self.pod_sc
            pod_sc_ptr = self.security_context_pointer
            spec = self.spec
            for field, kind in CONTAINER_LISTS:
                items = spec.get(field)
                if not isinstance(items, list):
                    continue
                base = self.spec_pointer / field
                for i, c in enumerate(items):
                    if isinstance(c, dict):
                        out.append(self.container_type(c, kind, i, base / i, pod_sc, pod_sc_ptr))
            self._containers = out
        return self._containers

    def iter_containers(self, *kinds: str) -> Iterator[Container]:
        """Containers of the given kinds (``container``, ``initContainer``, ``ephemeralContainer``)."""
        for c in self.containers():
            if c.kind in kinds:
                yield c

    @property
    def volumes(self) -> list[dict[str, Any]]:
        vols = self.spec.get("volumes")
        return [v for v in vols if isinstance(v, dict)] if isinstance(vols, list) else []

    @property
    def service_account_name(self) -> str:
        """The ServiceAccount the pods run as (``default`` when unset)."""
        name = self.spec.get("serviceAccountName") or self.spec.get("serviceAccount")
        return str(name) if name else "default"

    @property
    def declares_windows(self) -> bool:
        """``spec.os.name: windows`` exactly: what the API server and Pod Security Admission read
        (the Pod Security exemptions for Windows pods rest on this field alone)."""
        return _dict(self.spec.get("os")).get("name") == "windows"

    @property
    def runs_on_windows(self) -> bool:
        """Pods that can only run on Windows nodes: ``spec.os.name: windows``, a nodeSelector on the
        node's OS label (``kubernetes.io/os: windows``, how most Windows manifests say it), or a
        HostProcess pod (a Windows-only feature). Linux-only securityContext fields do nothing there."""
        if self.declares_windows:
            return True
        selector = _dict(self.spec.get("nodeSelector"))
        if any(selector.get(label) == "windows" for label in _OS_LABELS):
            return True
        return _dict(self.pod_sc.get("windowsOptions")).get("hostProcess") is True

    @property
    def in_user_namespace(self) -> bool:
        """``spec.hostUsers: false``: the pod runs in its own user namespace."""
        return self.spec.get("hostUsers") is False


class Workload(PodTemplate):
    """The pod template of a resource that runs pods."""

    __slots__ = ("resource",)

    def __init__(
        self,
        resource: Resource,
        spec: dict[str, Any],
        spec_pointer: Pointer,
        meta: Mapping[str, Any],
        meta_pointer: Pointer,
    ) -> None:
        super().__init__(spec, spec_pointer, meta, meta_pointer)
        self.resource = resource

    @classmethod
    def of(cls, resource: Resource) -> Workload | None:
        raw = resource.raw
        path = POD_SPEC_PATHS.get(resource.kind)
        if path is not None and resource.group in BUILTIN_KINDS:
            spec = _walk(raw, path)
            if not isinstance(spec, dict):
                return None
            meta_ptr = Pointer(("metadata",)) if resource.kind == "Pod" else Pointer((*path[:-1], "metadata"))
            meta = raw.get("metadata") if resource.kind == "Pod" else _walk(raw, meta_ptr)
            return cls(resource, spec, path, _dict(meta), meta_ptr)
        if resource.group in BUILTIN_KINDS:
            return None
        found = _find_pod_template(raw, ROOT, 0)
        if found is None:
            return None
        spec_ptr, spec, meta = found
        return cls(resource, spec, spec_ptr, meta, Pointer((*spec_ptr[:-1], "metadata")))

    @property
    def kind(self) -> str:
        return self.resource.kind

    def __repr__(self) -> str:
        return f"Workload({self.resource.ref})"


def _walk(raw: Any, path: Pointer) -> Any:
    node = raw
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _looks_like_pod_spec(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    containers = value.get("containers")
    return (
        isinstance(containers, list)
        and bool(containers)
        and all(isinstance(c, dict) and ("image" in c or "name" in c) for c in containers)
    )


def _find_pod_template(
    node: Any, ptr: Pointer, depth: int
) -> tuple[Pointer, dict[str, Any], Mapping[str, Any]] | None:
    """Breadth-limited search for ``<template>.spec.containers`` inside a custom resource."""
    if depth > 6 or not isinstance(node, dict):
        return None
    spec = node.get("spec")
    if _looks_like_pod_spec(spec):
        assert isinstance(spec, dict)
        return ptr / "spec", spec, _dict(node.get("metadata"))
    for key, value in node.items():
        if isinstance(value, dict) and key not in ("metadata", "status"):
            found = _find_pod_template(value, ptr / key, depth + 1)
            if found is not None:
                return found
    return None
