"""Everything the NET rules read about one scan, built once with ``ctx.cached(network_analysis)``.

Kept cheap on purpose (one pass over the input, policies indexed by namespace): the rules only need
who selects whom. The reachability engine (:class:`~kubeguard.analyzers.netpol.engine.Network`) is
built only by the ``netpol`` commands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kubeguard.analyzers.netpol.istio import DEFAULT_ROOT_NAMESPACE, MeshPolicies
from kubeguard.analyzers.netpol.thirdparty import ThirdPartyPolicy, third_party_policies
from kubeguard.model.network import NetworkPolicy, Peer, PodEndpoint, namespace_labels
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext

#: ``.kubeguard.yaml`` section read by the NET rules.
CONFIG_SECTION = "network"


@dataclass
class NetworkAnalysis:
    policies: list[NetworkPolicy]
    third_party: list[ThirdPartyPolicy]
    mesh: MeshPolicies
    #: Namespace -> pod endpoints in the input (host-network pods included).
    endpoints_by_ns: dict[str, list[PodEndpoint]] = field(default_factory=dict)
    #: Namespaces with a Namespace object in the input, and their declared labels.
    declared_namespaces: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Namespaces with at least one Secret in the input (their Secret list is taken as complete).
    namespaces_with_secrets: set[str] = field(default_factory=set)
    #: TLS secrets promised by cert-manager Certificates: (namespace, secretName).
    certificate_secrets: set[tuple[str, str]] = field(default_factory=set)
    #: ``network.assumeComplete`` in .kubeguard.yaml: the input holds every namespace and pod.
    assume_complete: bool = False
    #: The first workload (by input order) of each namespace that has no Namespace object.
    first_workload_of_implied_ns: dict[str, Resource] = field(default_factory=dict)
    _policies: dict[int, NetworkPolicy] = field(default_factory=dict, init=False, repr=False)
    _by_ns: dict[str, list[NetworkPolicy]] = field(default_factory=dict, init=False, repr=False)
    _endpoints: dict[int, PodEndpoint] = field(default_factory=dict, init=False, repr=False)
    _namespace_labels: dict[str, dict[str, str]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._policies = {id(p.resource): p for p in self.policies}
        by_ns: dict[str, list[NetworkPolicy]] = defaultdict(list)
        for p in self.policies:
            if p.valid:
                by_ns[p.namespace].append(p)
        self._by_ns = dict(by_ns)
        for eps in self.endpoints_by_ns.values():
            for e in eps:
                if e.resource is not None:
                    self._endpoints[id(e.resource)] = e
        names = (
            set(self.declared_namespaces) | set(self.endpoints_by_ns) | {p.namespace for p in self.policies}
        )
        self._namespace_labels = {
            n: namespace_labels(n, self.declared_namespaces.get(n)) for n in sorted(names)
        }

    # -- lookups -----------------------------------------------------------------------------------

    def policy_of(self, resource: Resource) -> NetworkPolicy | None:
        return self._policies.get(id(resource))

    def endpoint_of(self, resource: Resource) -> PodEndpoint | None:
        return self._endpoints.get(id(resource))

    def policies_in(self, namespace: str) -> list[NetworkPolicy]:
        """Valid NetworkPolicies of a namespace."""
        return self._by_ns.get(namespace, [])

    def namespace_labels(self, namespace: str) -> dict[str, str]:
        return self._namespace_labels.get(namespace) or namespace_labels(namespace)

    @property
    def known_namespaces(self) -> dict[str, dict[str, str]]:
        """Every namespace of the input (declared or implied) with its labels as the API server has them."""
        return self._namespace_labels

    def namespace_complete(self, namespace: str) -> bool:
        """Pods of ``namespace`` are all in the input: assumed when configured, or when the input
        declares the Namespace object and at least one workload in it."""
        if self.assume_complete:
            return True
        return namespace in self.declared_namespaces and bool(self.endpoints_by_ns.get(namespace))

    # -- questions ---------------------------------------------------------------------------------

    def namespace_isolated(self, namespace: str, direction: str) -> list[str]:
        """Policies isolating every pod of ``namespace`` for ``direction`` (``ingress``/``egress``)."""
        out = []
        for p in self.policies_in(namespace):
            isolates = p.ingress_isolation if direction == "ingress" else p.egress_isolation
            rules = p.ingress if direction == "ingress" else p.egress
            # A rule with no peers and no ports allows everything: such a policy isolates nothing.
            allows_all = any(r.peers is None and r.ports is None for r in rules)
            if p.pod_selector.is_empty and isolates and not allows_all:
                out.append(f"NetworkPolicy {p.key}")
        ns_labels = self.namespace_labels(namespace)
        for t in self.third_party:
            if (t.ingress if direction == "ingress" else t.egress) and t.selects_whole_namespace(
                namespace, ns_labels
            ):
                out.append(t.key)
        return out

    def selecting(self, endpoint: PodEndpoint) -> list[str]:
        """Every policy (NetworkPolicy, Cilium, Calico) that selects the endpoint's pods."""
        out = [
            f"NetworkPolicy {p.key}"
            for p in self.policies_in(endpoint.namespace)
            if p.pod_selector.matches(endpoint.labels)
        ]
        if self.third_party:
            ns_labels = self.namespace_labels(endpoint.namespace)
            out.extend(
                t.key for t in self.third_party if t.selects(endpoint.namespace, endpoint.labels, ns_labels)
            )
        return out

    def peer_namespaces(self, policy: NetworkPolicy, peer: Peer) -> list[str]:
        """The known namespaces a selector peer draws pods from."""
        if peer.namespace_selector is None:
            return [policy.namespace]
        sel = peer.namespace_selector
        return [n for n, labels in self._namespace_labels.items() if sel.matches(labels)]

    def peer_matches_any(self, policy: NetworkPolicy, peer: Peer, namespaces: Iterable[str]) -> bool:
        """Whether a selector peer matches at least one pod of the input in ``namespaces``."""
        pod_sel = peer.pod_selector
        for n in namespaces:
            for e in self.endpoints_by_ns.get(n, ()):
                if e.host_network:
                    continue
                if pod_sel is None or pod_sel.matches(e.labels):
                    return True
        return False


def network_analysis(ctx: ScanContext) -> NetworkAnalysis:
    section = ctx.config.section(CONFIG_SECTION)
    root = str(section.get("istioRootNamespace") or DEFAULT_ROOT_NAMESPACE)
    by_ns: dict[str, list[PodEndpoint]] = defaultdict(list)
    policies: list[NetworkPolicy] = []
    declared: dict[str, dict[str, str]] = {}
    workloads: list[PodEndpoint] = []
    secrets: set[str] = set()
    certs: set[tuple[str, str]] = set()
    for r in ctx.resources:
        kind = r.kind
        if kind == "NetworkPolicy" and r.group in ("networking.k8s.io", "extensions"):
            policies.append(NetworkPolicy.of(r))
        elif kind == "Namespace" and r.group == "":
            declared[r.name] = {str(k): str(v) for k, v in r.labels.items()}
        elif kind == "Secret" and r.group == "":
            secrets.add(r.effective_namespace or "default")
        elif kind == "Certificate" and r.group == "cert-manager.io":
            spec = r.raw.get("spec")
            if isinstance(spec, dict) and spec.get("secretName"):
                certs.add((r.effective_namespace or "default", str(spec["secretName"])))
        elif r.workload is not None:
            ep = PodEndpoint.of(r)
            if ep is not None:
                by_ns[ep.namespace].append(ep)
                workloads.append(ep)
    first: dict[str, Resource] = {}
    for ep in workloads:
        if ep.namespace not in declared and ep.resource is not None:
            first.setdefault(ep.namespace, ep.resource)
    return NetworkAnalysis(
        policies=policies,
        third_party=third_party_policies(ctx.resources),
        mesh=MeshPolicies(ctx.resources, root),
        endpoints_by_ns=dict(by_ns),
        declared_namespaces=declared,
        namespaces_with_secrets=secrets,
        certificate_secrets=certs,
        assume_complete=bool(section.get("assumeComplete")),
        first_workload_of_implied_ns=first,
    )
