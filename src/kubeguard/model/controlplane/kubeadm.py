"""kubeadm's configuration of the components: ``ClusterConfiguration`` ``extraArgs`` (v1beta3 map or
v1beta4 list) laid over the flags kubeadm writes into the manifests it generates, and
``nodeRegistration.kubeletExtraArgs`` of Init/JoinConfiguration for the kubelet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kubeguard.model.controlplane.components import (
    APISERVER,
    CONTROLLER_MANAGER,
    ETCD,
    SCHEDULER,
    ComponentConfig,
)
from kubeguard.model.controlplane.flags import Flag, FlagSet
from kubeguard.model.pointer import Pointer

if TYPE_CHECKING:
    from kubeguard.model.resource import Resource

#: Flags kubeadm (v1.31) writes into the static pod manifests it generates, before extraArgs.
#: Addresses and CIDRs are left out: no CIS recommendation reads them.
KUBEADM_DEFAULT_FLAGS: dict[str, tuple[tuple[str, str], ...]] = {
    APISERVER: (
        ("allow-privileged", "true"),
        ("authorization-mode", "Node,RBAC"),
        ("client-ca-file", "/etc/kubernetes/pki/ca.crt"),
        ("enable-admission-plugins", "NodeRestriction"),
        ("enable-bootstrap-token-auth", "true"),
        ("etcd-cafile", "/etc/kubernetes/pki/etcd/ca.crt"),
        ("etcd-certfile", "/etc/kubernetes/pki/apiserver-etcd-client.crt"),
        ("etcd-keyfile", "/etc/kubernetes/pki/apiserver-etcd-client.key"),
        ("kubelet-client-certificate", "/etc/kubernetes/pki/apiserver-kubelet-client.crt"),
        ("kubelet-client-key", "/etc/kubernetes/pki/apiserver-kubelet-client.key"),
        ("proxy-client-cert-file", "/etc/kubernetes/pki/front-proxy-client.crt"),
        ("proxy-client-key-file", "/etc/kubernetes/pki/front-proxy-client.key"),
        ("requestheader-client-ca-file", "/etc/kubernetes/pki/front-proxy-ca.crt"),
        ("secure-port", "6443"),
        ("service-account-issuer", "https://kubernetes.default.svc.cluster.local"),
        ("service-account-key-file", "/etc/kubernetes/pki/sa.pub"),
        ("service-account-signing-key-file", "/etc/kubernetes/pki/sa.key"),
        ("tls-cert-file", "/etc/kubernetes/pki/apiserver.crt"),
        ("tls-private-key-file", "/etc/kubernetes/pki/apiserver.key"),
    ),
    CONTROLLER_MANAGER: (
        ("authentication-kubeconfig", "/etc/kubernetes/controller-manager.conf"),
        ("authorization-kubeconfig", "/etc/kubernetes/controller-manager.conf"),
        ("bind-address", "127.0.0.1"),
        ("client-ca-file", "/etc/kubernetes/pki/ca.crt"),
        ("cluster-signing-cert-file", "/etc/kubernetes/pki/ca.crt"),
        ("cluster-signing-key-file", "/etc/kubernetes/pki/ca.key"),
        ("controllers", "*,bootstrapsigner,tokencleaner"),
        ("kubeconfig", "/etc/kubernetes/controller-manager.conf"),
        ("leader-elect", "true"),
        ("requestheader-client-ca-file", "/etc/kubernetes/pki/front-proxy-ca.crt"),
        ("root-ca-file", "/etc/kubernetes/pki/ca.crt"),
        ("service-account-private-key-file", "/etc/kubernetes/pki/sa.key"),
        ("use-service-account-credentials", "true"),
    ),
    SCHEDULER: (
        ("authentication-kubeconfig", "/etc/kubernetes/scheduler.conf"),
        ("authorization-kubeconfig", "/etc/kubernetes/scheduler.conf"),
        ("bind-address", "127.0.0.1"),
        ("kubeconfig", "/etc/kubernetes/scheduler.conf"),
        ("leader-elect", "true"),
    ),
    ETCD: (
        ("cert-file", "/etc/kubernetes/pki/etcd/server.crt"),
        ("client-cert-auth", "true"),
        ("data-dir", "/var/lib/etcd"),
        ("key-file", "/etc/kubernetes/pki/etcd/server.key"),
        ("peer-cert-file", "/etc/kubernetes/pki/etcd/peer.crt"),
        ("peer-client-cert-auth", "true"),
        ("peer-key-file", "/etc/kubernetes/pki/etcd/peer.key"),
        ("peer-trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.crt"),
        ("snapshot-count", "10000"),
        ("trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.crt"),
    ),
}

#: Where each component's settings live in a kubeadm ClusterConfiguration.
KUBEADM_SECTIONS: dict[str, Pointer] = {
    APISERVER: Pointer(("apiServer",)),
    CONTROLLER_MANAGER: Pointer(("controllerManager",)),
    SCHEDULER: Pointer(("scheduler",)),
    ETCD: Pointer(("etcd", "local")),
}

KUBEADM_GROUP = "kubeadm.k8s.io"


def extra_args(value: Any, pointer: Pointer, origin: str = "extraArgs") -> list[Flag]:
    """kubeadm ``extraArgs``: the v1beta3 map ``{flag: value}`` or the v1beta4 list ``[{name, value}]``."""
    out: list[Flag] = []
    if isinstance(value, dict):
        for k, v in value.items():
            out.append(Flag(str(k).lstrip("-"), _scalar_text(v), pointer / str(k), origin))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict) and item.get("name") is not None:
                out.append(
                    Flag(
                        str(item["name"]).lstrip("-"),
                        _scalar_text(item.get("value")),
                        pointer / i / "value",
                        origin,
                    )
                )
    return out


def _scalar_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return "" if v is None else str(v)


def _section(raw: Mapping[str, Any], ptr: Pointer) -> Mapping[str, Any] | None:
    node: Any = raw
    for part in ptr:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node if isinstance(node, dict) else None


def kubeadm_component(resource: Resource, component: str) -> ComponentConfig | None:
    """A control plane component as a kubeadm ClusterConfiguration configures it.

    ``None`` for etcd when the configuration uses an external etcd (kubeadm does not run it).
    """
    if resource.kind != "ClusterConfiguration" or resource.group != KUBEADM_GROUP:
        return None
    section_ptr = KUBEADM_SECTIONS.get(component)
    if section_ptr is None:
        return None
    raw = resource.raw
    if component == ETCD:
        etcd = raw.get("etcd")
        if isinstance(etcd, dict) and "external" in etcd and "local" not in etcd:
            return None
    section = _section(raw, section_ptr)
    args_ptr = section_ptr / "extraArgs"
    defaults = FlagSet(
        [Flag(n, v, args_ptr, "kubeadm default") for n, v in KUBEADM_DEFAULT_FLAGS[component]], args_ptr
    )
    given = FlagSet(
        extra_args(section.get("extraArgs") if section else None, args_ptr),
        args_ptr,
        f"{component} extraArgs of the kubeadm ClusterConfiguration",
    )
    return ComponentConfig(component, defaults.overlay(given), "kubeadm", "", section_ptr)


def kubeadm_kubelet_flags(resource: Resource) -> FlagSet | None:
    """``nodeRegistration.kubeletExtraArgs`` of a kubeadm Init/JoinConfiguration."""
    if resource.kind not in ("InitConfiguration", "JoinConfiguration") or resource.group != KUBEADM_GROUP:
        return None
    ptr = Pointer(("nodeRegistration", "kubeletExtraArgs"))
    reg = resource.raw.get("nodeRegistration")
    value = reg.get("kubeletExtraArgs") if isinstance(reg, dict) else None
    return FlagSet(extra_args(value, ptr, "kubeletExtraArgs"), ptr, "nodeRegistration.kubeletExtraArgs")
