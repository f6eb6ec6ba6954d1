"""Everything the NET rules read about one scan, built once with ``ctx.cached(network_analysis)``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kubeguard.analyzers.netpol.engine import Network
from kubeguard.analyzers.netpol.istio import DEFAULT_ROOT_NAMESPACE, MeshPolicies
from kubeguard.analyzers.netpol.thirdparty import ThirdPartyPolicy, third_party_policies
from kubeguard.model.network import NetworkPolicy, PodEndpoint, namespace_labels
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext

#: ``.kubeguard.yaml`` section read by the NET rules.
CONFIG_SECTION = "network"


@dataclass
class NetworkAnalysis:
    network: Network
    third_party: list[ThirdPartyPolicy]
    mesh: MeshPolicies
    #: Namespace -> pod endpoints in the input (host-network pods included).
    endpoints_by_ns: dict[str, list[PodEndpoint]] = field(default_factory=dict)
    #: Namespaces with at least one Secret in the input (their Secret list is taken as complete).
    namespaces_with_secrets: set[str] = field(default_factory=set)
    #: TLS secrets promised by cert-manager Certificates: (namespace, secretName).
    certificate_secrets: set[tuple[str, str]] = field(default_factory=set)
    #: ``network.assumeComplete`` in .kubeguard.yaml: the input holds every namespace and pod.
    assume_complete: bool = False
    #: The first workload (by input order) of each namespace that has no Namespace object.
    first_workload_of_implied_ns: dict[str, Resource] = field(default_factory=dict)

    _policies: dict[int, NetworkPolicy] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._policies = {id(p.resource): p for p in self.network.policies + self.network.invalid}

    def policy_of(self, resource: Resource) -> NetworkPolicy | None:
        return self._policies.get(id(resource))

    def namespace_isolated(self, namespace: str, direction: str) -> list[str]:
        """Policies isolating every pod of ``namespace`` for ``direction`` (``ingress``/``egress``)."""
        out = []
        for p in self.network.policies:
            isolates = p.ingress_isolation if direction == "ingress" else p.egress_isolation
            if p.namespace == namespace and p.pod_selector.is_empty and isolates:
                out.append(f"NetworkPolicy {p.key}")
        ns_labels = self.network.namespace_labels.get(namespace) or namespace_labels(namespace)
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
            for p in self.network.policies
            if p.namespace == endpoint.namespace and p.pod_selector.matches(endpoint.labels)
        ]
        ns_labels = self.network.namespace_labels.get(endpoint.namespace) or namespace_labels(
            endpoint.namespace
        )
        out.extend(
            t.key for t in self.third_party if t.selects(endpoint.namespace, endpoint.labels, ns_labels)
        )
        return out

    def namespace_complete(self, namespace: str) -> bool:
        """Pods of ``namespace`` are all in the input: assumed when configured, or when the input
        declares the Namespace object and at least one workload in it."""
        if self.assume_complete:
            return True
        return namespace in self.network.declared_namespaces and bool(self.endpoints_by_ns.get(namespace))


def network_analysis(ctx: ScanContext) -> NetworkAnalysis:
    section = ctx.config.section(CONFIG_SECTION)
    root = str(section.get("istioRootNamespace") or DEFAULT_ROOT_NAMESPACE)
    net = Network.from_resources(ctx.resources)
    by_ns: dict[str, list[PodEndpoint]] = defaultdict(list)
    first: dict[str, Resource] = {}
    declared = net.declared_namespaces
    secrets: set[str] = set()
    certs: set[tuple[str, str]] = set()
    for r in ctx.resources:
        if r.kind == "Secret" and r.group == "":
            secrets.add(r.effective_namespace or "default")
        elif r.kind == "Certificate" and r.group == "cert-manager.io":
            spec = r.raw.get("spec")
            if isinstance(spec, dict) and spec.get("secretName"):
                certs.add((r.effective_namespace or "default", str(spec["secretName"])))
        ep = PodEndpoint.of(r) if r.workload is not None else None
        if ep is not None:
            by_ns[ep.namespace].append(ep)
            if ep.namespace not in declared:
                first.setdefault(ep.namespace, r)
    return NetworkAnalysis(
        network=net,
        third_party=third_party_policies(ctx.resources),
        mesh=MeshPolicies(ctx.resources, root),
        endpoints_by_ns=dict(by_ns),
        namespaces_with_secrets=secrets,
        certificate_secrets=certs,
        assume_complete=bool(section.get("assumeComplete")),
        first_workload_of_implied_ns=first,
    )
