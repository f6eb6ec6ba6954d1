"""Everything the NET rules read about one scan, built once with ``ctx.cached(network_analysis)``.

Kept cheap on purpose (one pass over the input, policies indexed by namespace): the rules only need
who selects whom. Selectors are matched against candidates drawn from a label index (a selector with
``matchLabels`` can only match pods carrying each of its pairs), so a namespace of many workloads and
many policies costs about one match per pair that could hold, not one per workload and policy. The reachability engine (:class:`~kubeguard.analyzers.netpol.engine.Network`) is
built only by the ``netpol`` commands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kubeguard.analyzers.netpol.istio import DEFAULT_ROOT_NAMESPACE, MeshPolicies
from kubeguard.analyzers.netpol.thirdparty import ThirdPartyPolicy, third_party_policies
from kubeguard.model.network import LabelSelector, NetworkPolicy, Peer, PodEndpoint, namespace_labels
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
    # Namespace -> (label pair -> positions in policies_in(namespace) of the valid policies whose
    # selector's first matchLabels pair it is; positions of those without matchLabels).
    _policy_index: dict[str, tuple[dict[tuple[str, str], list[int]], list[int]]] = field(
        default_factory=dict, init=False, repr=False
    )
    # Namespace -> label pair -> the endpoints carrying it, in input order.
    _endpoint_index: dict[str, dict[tuple[str, str], list[PodEndpoint]]] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        self._policies = {id(p.resource): p for p in self.policies}
        by_ns: dict[str, list[NetworkPolicy]] = defaultdict(list)
        for p in self.policies:
            if p.valid:
                by_ns[p.namespace].append(p)
        self._by_ns = dict(by_ns)
        for ns, ns_policies in self._by_ns.items():
            by_pair: dict[tuple[str, str], list[int]] = defaultdict(list)
            unindexed: list[int] = []
            for i, p in enumerate(ns_policies):
                if p.pod_selector.match_labels:
                    by_pair[p.pod_selector.match_labels[0]].append(i)
                else:
                    unindexed.append(i)
            self._policy_index[ns] = (dict(by_pair), unindexed)
        for ns, eps in self.endpoints_by_ns.items():
            by_label: dict[tuple[str, str], list[PodEndpoint]] = defaultdict(list)
            for e in eps:
                if e.resource is not None:
                    self._endpoints[id(e.resource)] = e
                for pair in e.labels.items():
                    by_label[pair].append(e)
            self._endpoint_index[ns] = dict(by_label)
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

    def endpoints_selected(self, namespace: str, selector: LabelSelector) -> list[PodEndpoint]:
        """The endpoints of ``namespace`` (host-network pods included) whose labels ``selector``
        matches, in input order."""
        candidates = self.endpoints_by_ns.get(namespace, [])
        if selector.match_labels:
            # Only endpoints carrying every matchLabels pair can match: start from the rarest pair.
            index = self._endpoint_index.get(namespace, {})
            candidates = min((index.get(pair, []) for pair in selector.match_labels), key=len)
        return [e for e in candidates if selector.matches(e.labels)]

    def selecting(self, endpoint: PodEndpoint) -> list[str]:
        """Every policy (NetworkPolicy, Cilium, Calico) that selects the endpoint's pods."""
        policies = self.policies_in(endpoint.namespace)
        out: list[str] = []
        if policies:
            by_pair, unindexed = self._policy_index[endpoint.namespace]
            labels = endpoint.labels
            # A policy indexed under a pair the labels lack cannot match them; input order is kept.
            positions = list(unindexed)
            for pair in labels.items():
                positions.extend(by_pair.get(pair, ()))
            positions.sort()
            out = [
                f"NetworkPolicy {policies[i].key}"
                for i in positions
                if policies[i].pod_selector.matches(labels)
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
            endpoints = (
                self.endpoints_by_ns.get(n, []) if pod_sel is None else self.endpoints_selected(n, pod_sel)
            )
            if any(not e.host_network for e in endpoints):
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
