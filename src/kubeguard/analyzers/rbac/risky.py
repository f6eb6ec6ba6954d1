"""Risky permissions as data, and which subjects of a binding hold them (for the RBAC rules).

A :class:`RiskyPermission` is a set of requests (verb, API group, resource, subresource) of which
holding any one is the risk. Requests are asked without an object name, as the authorizer sees a
``list`` or ``create``: a rule limited by ``resourceNames`` does not count (it names what it allows),
unless the probe is about one named object (``name``, in ``namespace``), such as the CoreDNS
ConfigMap; then a rule naming it counts, and a RoleBinding counts only in that namespace.
Requests on cluster-scoped resources are only granted through ClusterRoleBindings.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubeguard.analyzers.rbac.graph import RbacGraph, ResolvedRule
from kubeguard.analyzers.rbac.requests import CLUSTER_SCOPED_RESOURCES
from kubeguard.model.pointer import Pointer
from kubeguard.model.rbac import BindingView, RoleView, Subject


@dataclass(frozen=True, slots=True)
class Probe:
    verb: str
    api_group: str
    resource: str
    subresource: str = ""
    name: str = ""
    namespace: str | None = None  # the one namespace a named object lives in

    @property
    def cluster_scoped(self) -> bool:
        # Binding a ClusterRole in a RoleBinding is authorized in the RoleBinding's namespace.
        if self.verb == "bind" and self.resource == "clusterroles":
            return False
        return self.resource in CLUSTER_SCOPED_RESOURCES

    def __str__(self) -> str:
        group = f".{self.api_group}" if self.api_group else ""
        sub = f"/{self.subresource}" if self.subresource else ""
        named = (
            f" {self.namespace}/{self.name}"
            if self.name and self.namespace
            else f" {self.name}"
            if self.name
            else ""
        )
        return f"{self.verb} {self.resource}{group}{sub}{named}"


@dataclass(frozen=True, slots=True)
class RiskyPermission:
    label: str
    probes: tuple[Probe, ...]


def _p(verbs: str, group: str, *resources: str) -> tuple[Probe, ...]:
    out = []
    for v in verbs.split():
        for r in resources:
            res, _, sub = r.partition("/")
            out.append(Probe(v, group, res, sub))
    return tuple(out)


SECRETS_READ = RiskyPermission("read secrets", _p("get list watch", "", "secrets"))
POD_CREATE = RiskyPermission(
    "create pods or pod controllers",
    _p("create", "", "pods", "replicationcontrollers")
    + _p("create", "apps", "deployments", "replicasets", "statefulsets", "daemonsets")
    + _p("create", "batch", "jobs", "cronjobs"),
)
POD_EXEC = RiskyPermission(
    "exec, attach or port-forward into pods",
    _p("create get", "", "pods/exec", "pods/attach", "pods/portforward"),
)
ESCALATE_BIND_IMPERSONATE = RiskyPermission(
    "escalate, bind or impersonate",
    _p("escalate bind", "rbac.authorization.k8s.io", "roles", "clusterroles")
    + _p("impersonate", "", "users", "groups", "serviceaccounts")
    + _p("impersonate", "authentication.k8s.io", "uids", "userextras/*"),
)
SA_TOKEN_CREATE = RiskyPermission("create service account tokens", _p("create", "", "serviceaccounts/token"))
NODES_PROXY = RiskyPermission(
    "reach the kubelet API through nodes/proxy", _p("get create", "", "nodes/proxy")
)
CSR_APPROVE = RiskyPermission(
    "approve certificate signing requests",
    _p("update patch", "certificates.k8s.io", "certificatesigningrequests/approval"),
)
WEBHOOK_CHANGE = RiskyPermission(
    "change admission webhook configurations",
    _p(
        "create update patch delete deletecollection",
        "admissionregistration.k8s.io",
        "validatingwebhookconfigurations",
        "mutatingwebhookconfigurations",
    ),
)
PV_CREATE = RiskyPermission("create persistent volumes", _p("create", "", "persistentvolumes"))
NAMESPACE_NODE_PATCH = RiskyPermission(
    "patch namespaces or nodes", _p("patch update", "", "namespaces", "nodes")
)
EVENTS_DELETE = RiskyPermission(
    "delete events",
    _p("delete deletecollection", "", "events") + _p("delete deletecollection", "events.k8s.io", "events"),
)
#: ConfigMaps whose contents CoreDNS serves: ``coredns`` (kubeadm and most distributions) and
#: ``coredns-custom`` (imported by AKS and k3s), both in kube-system.
COREDNS_CONFIGMAPS = ("coredns", "coredns-custom")
COREDNS_CONFIG_CHANGE = RiskyPermission(
    "change the CoreDNS configuration",
    tuple(
        Probe(verb, "", "configmaps", name=name, namespace="kube-system")
        for name in COREDNS_CONFIGMAPS
        for verb in ("update", "patch")
    ),
)


@dataclass(frozen=True, slots=True)
class Holding:
    """One subject of a binding that holds a risky permission, and how."""

    subject: Subject
    pointer: Pointer
    binding: BindingView
    role: RoleView
    probes: tuple[Probe, ...]
    rule: ResolvedRule

    def message(self, what: str) -> str:
        where = "cluster-wide" if self.binding.cluster_wide else f"in namespace {self.binding.namespace}"
        origin = "" if self.rule.origin.key == self.role.key else f", aggregated from {self.rule.origin}"
        verbs = ", ".join(str(p) for p in self.probes[:4]) + (" ..." if len(self.probes) > 4 else "")
        return (
            f"{self.subject} can {what} {where} ({verbs}) via {self.binding} -> {self.role} "
            f"(rule {self.rule.index}: {self.rule.rule}{origin})"
        )


def holdings(graph: RbacGraph, binding: BindingView, permission: RiskyPermission) -> list[Holding]:
    """The subjects of ``binding`` that hold ``permission`` through it (empty if the role is missing)."""
    role = graph.role_of(binding)
    if role is None:
        return []
    rules = graph.rules_of(role)
    matched: list[Probe] = []
    first: ResolvedRule | None = None
    for probe in permission.probes:
        if probe.cluster_scoped and not binding.cluster_wide:
            continue  # a RoleBinding cannot grant a cluster-scoped resource
        if probe.namespace is not None and not binding.cluster_wide and binding.namespace != probe.namespace:
            continue  # a RoleBinding grants only in its own namespace
        for rr in rules:
            if rr.rule.allows(probe.verb, probe.api_group, probe.resource, probe.subresource, probe.name):
                matched.append(probe)
                first = first or rr
                break
    if first is None:
        return []
    return [
        Holding(s, ptr, binding, role, tuple(matched), first) for s, ptr in binding.subjects if s.matchable
    ]
