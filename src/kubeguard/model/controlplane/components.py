"""The components kubeguard judges, and one component's flags as found in one resource."""

from __future__ import annotations

from dataclasses import dataclass

from kubeguard.model.controlplane.flags import FlagSet
from kubeguard.model.pointer import ROOT, Pointer

APISERVER = "kube-apiserver"
CONTROLLER_MANAGER = "kube-controller-manager"
SCHEDULER = "kube-scheduler"
ETCD = "etcd"
KUBELET = "kubelet"
CONTROL_PLANE_COMPONENTS = (APISERVER, CONTROLLER_MANAGER, SCHEDULER, ETCD)
COMPONENTS = (*CONTROL_PLANE_COMPONENTS, KUBELET)


@dataclass(frozen=True, slots=True)
class ComponentConfig:
    """One component's flags as found in one resource.

    ``kind`` says where they come from: ``static-pod``, ``kubeadm`` or ``kubelet-flags``. For kubeadm,
    ``flags`` already includes the flags kubeadm writes itself (origin ``kubeadm default``).
    """

    component: str
    flags: FlagSet
    kind: str
    container: str = ""
    pointer: Pointer = ROOT

    @property
    def label(self) -> str:
        if self.kind == "static-pod":
            return f"{self.component} (container {self.container!r})"
        if self.kind == "kubeadm":
            return f"{self.component} (kubeadm extraArgs)"
        return self.component
