"""Control plane components run as static pods: which component a Pod starts, and its flags."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from kubeguard.model.controlplane.commands import (
    component_of_binary,
    container_argv,
    container_component,
)
from kubeguard.model.controlplane.components import ETCD, ComponentConfig
from kubeguard.model.controlplane.etcd import etcd_env_flags
from kubeguard.model.controlplane.flags import FlagSet, parse_argv
from kubeguard.model.pointer import Pointer

if TYPE_CHECKING:
    from kubeguard.model.resource import Resource


def _containers(raw: Mapping[str, Any]) -> Iterator[tuple[Mapping[str, Any], Pointer]]:
    spec = raw.get("spec")
    if not isinstance(spec, dict):
        return
    for list_name in ("containers", "initContainers"):
        items = spec.get(list_name)
        if isinstance(items, list):
            for i, c in enumerate(items):
                if isinstance(c, dict):
                    yield c, Pointer(("spec", list_name, i))


#: Key of the per-resource memo under which a Pod's component is kept.
_MEMO_KEY = "controlplane.pod_component"


def pod_component(resource: Resource) -> str | None:
    """Cheap test: the component a Pod's first matching container starts, without parsing flags.

    Each component's scope asks about every Pod; the answer is computed once per resource.
    """
    return resource.memo(_MEMO_KEY, _pod_component)


def _pod_component(resource: Resource) -> str | None:
    for container, _ptr in _containers(resource.raw):
        comp = container_component(container)
        if comp is not None:
            return comp
    return None


def static_pod_component(resource: Resource, component: str | None = None) -> ComponentConfig | None:
    """The component a Pod runs (or ``component`` only), with its parsed flags; ``None`` otherwise."""
    if resource.kind != "Pod":
        return None
    for container, ptr in _containers(resource.raw):
        argv = container_argv(container, ptr)
        if argv is None:
            continue
        program, rest = argv
        comp = component_of_binary(program)
        if comp is None or (component is not None and comp != component):
            continue
        flags = parse_argv(rest)
        if comp == ETCD:
            given = {f.name for f in flags}
            flags = [f for f in etcd_env_flags(container, ptr) if f.name not in given] + flags
        has_command = isinstance(container.get("command"), list) and bool(container.get("command"))
        insert = ptr / ("command" if has_command else "args")
        name = str(container.get("name") or "")
        return ComponentConfig(comp, FlagSet(flags, insert, f"the {comp} command"), "static-pod", name, ptr)
    return None
