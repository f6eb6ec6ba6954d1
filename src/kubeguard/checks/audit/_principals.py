"""Who counts as the cluster itself, for rules that skip the cluster's own components."""

from __future__ import annotations

from kubeguard.checks.audit._pods import KUBE_NAMESPACES

#: Namespaces where the cluster's components run (Panther's system namespaces).
SYSTEM_NAMESPACES = (*KUBE_NAMESPACES, "kube-node-lease", "gke-system")


def is_system_component(username: str) -> bool:
    """A control plane component or node (``system:...`` but not a service account), or a
    service account of ``kube-system`` (the controller manager's controllers), or a managed
    cloud's own user (``eks:...``, ``aks:...``)."""
    if username.startswith("system:serviceaccount:"):
        return username.startswith("system:serviceaccount:kube-system:")
    return username.startswith(("system:", "eks:", "aks:"))
