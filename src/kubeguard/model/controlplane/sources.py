"""A component's flags from whichever resource configures it: a static pod or a kubeadm
ClusterConfiguration."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubeguard.model.controlplane.components import ComponentConfig
from kubeguard.model.controlplane.kubeadm import kubeadm_component
from kubeguard.model.controlplane.static_pod import static_pod_component

if TYPE_CHECKING:
    from kubeguard.model.resource import Resource


def component_config(resource: Resource, component: str) -> ComponentConfig | None:
    """The component's flags in a static pod or a kubeadm ClusterConfiguration."""
    if resource.kind == "Pod":
        return static_pod_component(resource, component)
    return kubeadm_component(resource, component)
