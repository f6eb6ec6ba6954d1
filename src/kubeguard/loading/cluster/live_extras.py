"""What only a live cluster gives: each node's kubelet configuration, and a summary of what was there.

The kubelet serves its live configuration (flags and file merged, defaults filled in) at
``/configz``, which the API server proxies at ``/api/v1/nodes/<node>/proxy/configz`` for whoever may
``get nodes/proxy``. Each answer becomes a ``KubeletConfiguration`` named after its node, so the
kubelet rules (CIS 4.2.x) judge it as they judge a configuration file, without SSH to the node.
"""

from __future__ import annotations

from typing import Any

from kubeguard.loading.cluster.connection import ApiStatus, Connection
from kubeguard.loading.cluster.discovery import each_ordered
from kubeguard.loading.cluster.source import ClusterInfo, KindSelection
from kubeguard.model.resource import Resource

KUBELET_API_VERSION = "kubelet.config.k8s.io/v1beta1"
MIRROR_ANNOTATION = "kubernetes.io/config.mirror"


def kubelet_configs(
    conn: Connection, resources: list[Resource], workers: int
) -> tuple[list[dict[str, Any]], str]:
    """Each node's kubelet configuration as an object, and a note on what was available."""
    nodes = [r.name for r in resources if r.kind == "Node" and r.group == ""]
    if not nodes:
        return [], "not read (no Node objects were read)"

    def fetch(node: str) -> Any:
        try:
            return conn.get(f"/api/v1/nodes/{node}/proxy/configz")
        except ApiStatus as exc:
            return exc

    configs: list[dict[str, Any]] = []
    forbidden = failed = 0
    for node, answer in each_ordered(nodes, fetch, workers):
        if isinstance(answer, ApiStatus):
            forbidden += answer.code == 403
            failed += answer.code != 403
            continue
        config = answer.get("kubeletconfig") if isinstance(answer, dict) else None
        if not isinstance(config, dict):
            failed += 1
            continue
        body = {k: v for k, v in config.items() if k not in ("apiVersion", "kind", "metadata")}
        configs.append(
            {
                "apiVersion": KUBELET_API_VERSION,
                "kind": "KubeletConfiguration",
                "metadata": {"name": node},
                **body,
            }
        )
    if forbidden == len(nodes):
        return (
            configs,
            "forbidden (get nodes/proxy): kubelet configuration rules did not see the nodes' kubelets",
        )
    note = f"{len(configs)} of {len(nodes)} node(s)"
    if forbidden or failed:
        note += f" ({forbidden} forbidden, {failed} not answering)"
    return configs, note


def _state(info: ClusterInfo, kinds: KindSelection, names: tuple[str, ...], count: int, what: str) -> str:
    forbidden = sorted({f.resource for f in info.forbidden if f.kind in names})
    if forbidden:
        return f"forbidden ({', '.join(forbidden)})" + (f"; {count} {what} read" if count else "")
    if not (kinds.everything or any(n in kinds.kinds for n in names)):
        return "not read (no selected rule needs it)"
    return f"{count} {what}"


def summarize(info: ClusterInfo, resources: list[Resource], kinds: KindSelection) -> None:
    """Fill ``info.available``: version, namespace labels, RBAC, service accounts, nodes, mirror pods."""
    by_kind: dict[str, int] = {}
    mirror = 0
    for r in resources:
        if r.group in ("", "rbac.authorization.k8s.io"):
            by_kind[r.kind] = by_kind.get(r.kind, 0) + 1
        if r.kind == "Pod" and r.group == "" and MIRROR_ANNOTATION in r.annotations:
            mirror += 1
    info.available["version"] = info.version or "not available (/version did not answer)"
    info.available["namespaces"] = _state(
        info, kinds, ("Namespace",), by_kind.get("Namespace", 0), "namespace(s) with their labels"
    )
    rbac = ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
    info.available["rbac"] = _state(
        info, kinds, rbac, sum(by_kind.get(k, 0) for k in rbac), "role(s) and binding(s) (the cluster's own)"
    )
    info.available["serviceAccounts"] = _state(
        info, kinds, ("ServiceAccount",), by_kind.get("ServiceAccount", 0), "service account(s)"
    )
    info.available["nodes"] = _state(info, kinds, ("Node",), by_kind.get("Node", 0), "node(s)")
    pods = _state(info, kinds, ("Pod",), mirror, "mirror pod(s)")
    if pods.startswith(f"{mirror} mirror") and not mirror:
        pods = "none visible (a managed control plane shows no static pods): control plane flags not checked"
    elif pods.startswith(f"{mirror} mirror"):
        pods += " (static pods: control plane flags checked)"
    info.available["mirrorPods"] = pods
    info.available.setdefault("configz", "not read")
