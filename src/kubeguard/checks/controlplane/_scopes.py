"""The scopes of the ``CP`` rules: which resources each applies to, and the view its check receives.

A control plane rule applies to a static pod that starts its component (recognized by the container's
command or args, or by its image when the image's entrypoint runs; see
:mod:`kubeguard.model.controlplane.commands`) or to a kubeadm ClusterConfiguration (where kubeadm runs that component); every other
resource records NOT_APPLICABLE. Scopes are module-level singletons so the engine groups rules by them.
"""

from __future__ import annotations

from collections.abc import Callable

from kubeguard.analyzers.controlplane.audit import Policy
from kubeguard.analyzers.controlplane.encryption import entries
from kubeguard.model.controlplane.components import (
    APISERVER,
    CONTROLLER_MANAGER,
    ETCD,
    SCHEDULER,
    ComponentConfig,
)
from kubeguard.model.controlplane.kubeadm import KUBEADM_GROUP
from kubeguard.model.controlplane.sources import component_config
from kubeguard.model.controlplane.static_pod import pod_component
from kubeguard.model.nodefile import NODE_FILE_KIND, facts, node_file_roles
from kubeguard.model.resource import Resource
from kubeguard.rules.rule import Scope


def _component_matcher(component: str) -> Callable[[Resource], bool]:
    def matches(r: Resource) -> bool:
        if r.kind == "Pod":
            return pod_component(r) == component
        if r.kind == "ClusterConfiguration" and r.group == KUBEADM_GROUP:
            if component == ETCD:
                etcd = r.raw.get("etcd")
                return not (isinstance(etcd, dict) and "external" in etcd and "local" not in etcd)
            return True
        return False

    return matches


def _component_view(component: str) -> Callable[[Resource], ComponentConfig | None]:
    def view(r: Resource) -> ComponentConfig | None:
        return component_config(r, component)

    return view


def component_scope(component: str) -> Scope:
    return Scope(
        f"{component} static pods and kubeadm ClusterConfiguration",
        _component_matcher(component),
        _component_view(component),
        candidate_kinds=frozenset({"Pod", "ClusterConfiguration"}),
    )


APISERVER_SCOPE = component_scope(APISERVER)
CONTROLLER_MANAGER_SCOPE = component_scope(CONTROLLER_MANAGER)
SCHEDULER_SCOPE = component_scope(SCHEDULER)
ETCD_SCOPE = component_scope(ETCD)

SCOPES = {
    APISERVER: APISERVER_SCOPE,
    CONTROLLER_MANAGER: CONTROLLER_MANAGER_SCOPE,
    SCHEDULER: SCHEDULER_SCOPE,
    ETCD: ETCD_SCOPE,
}


def _is_kubelet_resource(r: Resource) -> bool:
    if r.kind == "KubeletConfiguration":
        return r.group == "kubelet.config.k8s.io"
    if r.kind in ("InitConfiguration", "JoinConfiguration") and r.group == KUBEADM_GROUP:
        reg = r.raw.get("nodeRegistration")
        return isinstance(reg, dict) and bool(reg.get("kubeletExtraArgs"))
    return False


#: KubeletConfiguration files, and kubeadm Init/JoinConfiguration that pass kubelet flags; the
#: check receives the Resource (and builds a KubeletView with the scan's node flags).
KUBELET_SCOPE = Scope(
    "KubeletConfiguration and kubeadm kubeletExtraArgs",
    _is_kubelet_resource,
    candidate_kinds=frozenset({"KubeletConfiguration", "InitConfiguration", "JoinConfiguration"}),
)

#: EncryptionConfiguration files; the check receives their entries (parsed once per resource).
ENCRYPTION_SCOPE = Scope(
    "EncryptionConfiguration",
    lambda r: r.kind in ("EncryptionConfiguration", "EncryptionConfig") and r.group.startswith("apiserver."),
    lambda r: entries(r.raw),
    candidate_kinds=frozenset({"EncryptionConfiguration", "EncryptionConfig"}),
)

#: audit.k8s.io Policy files; the check receives the parsed :class:`Policy`.
AUDIT_POLICY_SCOPE = Scope(
    "audit Policy",
    lambda r: r.kind == "Policy" and r.group == "audit.k8s.io",
    lambda r: Policy(r.raw),
    candidate_kinds=frozenset({"Policy"}),
)


def node_file_scope(roles: frozenset[str], description: str) -> Scope:
    """NodeFile resources (made by ``kubeguard node``) with one of ``roles``."""
    return Scope(
        description,
        lambda r: not roles.isdisjoint(node_file_roles(r)),
        facts,
        candidate_kinds=frozenset({NODE_FILE_KIND}),
    )
