"""The NetworkPolicy reachability engine: ``networking.k8s.io/v1`` semantics, exactly.

A connection from a source to a destination on a port and protocol is allowed when both sides
allow it:

* egress of the source: the source is not isolated for egress (no policy with the Egress type
  selects it), or some egress rule of a policy selecting it matches the destination and the port;
* ingress of the destination: the same with the Ingress type and ``from`` rules.

Addresses outside the cluster are only matched by ``ipBlock`` peers (and by rules without peers).
Pods are matched by selectors and, with ``ipblock_pods="match"`` (the default, as the upstream
NetworkPolicy e2e tests expect), by an ipBlock that covers a whole pod CIDR: pod IPs are not known
from manifests, so a block matches pods only when it contains every address a pod may have (the
configured ``pod_cidrs``, by default the whole IPv4 and IPv6 space) and no ``except`` cuts into it.
With ``ipblock_pods="ignore"`` ipBlocks never match pods (Cilium's reading: it does not apply CIDR
rules to traffic between its own endpoints). Named ports always resolve on the destination pod's
container ports, for ingress and egress alike; a named port never matches an address outside the
cluster. A pod talking to itself is governed like any other traffic: the API has no exception
(some CNIs let hairpin traffic through regardless; verdicts say when they concern a pod and itself).

Speed: pods are grouped into equivalence classes (same namespace, labels and container ports): no
selector and no port name can tell two pods of a class apart, so every verdict is computed once per
class pair, with Python integers as bit sets over classes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kubeguard.model.network import (
    ALL_ADDRESSES,
    IPAddress,
    IPNetwork,
    LabelSelector,
    NetworkPolicy,
    Peer,
    PodEndpoint,
    PolicyRule,
    namespace_labels,
    parse_cidr,
)
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource

#: Pseudo-endpoint name for "any address outside the cluster" in matrices.
EXTERNAL = "<external>"

#: How an ipBlock applies to pods: ``match`` when it covers a pod CIDR (upstream e2e), or ``ignore``.
IPBLOCK_POD_MODES = ("match", "ignore")

SELF_NOTE = (
    "source and destination are the same pod: NetworkPolicies govern this traffic like any other, "
    "but some CNIs let a pod reach itself (hairpin) regardless"
)
HOST_NETWORK_NOTE = (
    "NetworkPolicy does not isolate host-network pods ({pods}): their traffic is the node's, which other "
    "pods' policies match, with most network plugins, only by an ipBlock or a rule allowing every peer "
    "(Kubernetes leaves host-network pods to the plugin; a pod always accepts connections from its own node)"
)
REPLICA_NOTE = (
    "source and destination are the same workload: the verdict holds between its replicas, and for a "
    "pod reaching itself (which some CNIs let through regardless)"
)


@dataclass(frozen=True, slots=True)
class PodClass:
    """Pods that no NetworkPolicy can tell apart."""

    index: int
    namespace: str
    labels: Mapping[str, str]
    endpoint: PodEndpoint  # a representative (ports and labels are the same for all members)
    members: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class _Compiled:
    policy: NetworkPolicy
    rule: PolicyRule
    peer_mask: int  # classes matched by selector peers (all classes when the rule has no peers)
    all_peers: bool
    ip_blocks: tuple[Any, ...]  # IPBlock


@dataclass(frozen=True, slots=True)
class RuleRef:
    """A policy rule that decided something, for explanations."""

    policy: str  # namespace/name
    direction: str
    index: int | None  # None: the policy isolates the pod but none of its rules match
    pointer: Pointer
    resource: Resource | None = field(default=None, compare=False)

    def __str__(self) -> str:
        if self.index is None:
            return f"NetworkPolicy {self.policy} (isolates for {self.direction}, no rule matches)"
        return f"NetworkPolicy {self.policy} {self.direction}[{self.index}]"


@dataclass(frozen=True, slots=True)
class SideVerdict:
    direction: str
    isolated: bool
    allowed: bool
    allowing: tuple[RuleRef, ...] = ()
    isolating: tuple[RuleRef, ...] = ()
    host_network: bool = False  # the pod uses the host network: NetworkPolicy does not apply to it

    def explain(self) -> str:
        if self.host_network:
            return f"{self.direction}: not isolated (a host-network pod: NetworkPolicy does not apply to it)"
        if not self.isolated:
            return f"{self.direction}: not isolated (no policy with type {self.direction.capitalize()} selects it)"
        if self.allowed:
            return f"{self.direction}: allowed by " + "; ".join(map(str, self.allowing))
        return f"{self.direction}: denied; isolated by " + "; ".join(str(r.policy) for r in self.isolating)


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    egress: SideVerdict
    ingress: SideVerdict
    note: str = ""

    def deciding(self) -> tuple[RuleRef, ...]:
        if self.allowed:
            return self.egress.allowing + self.ingress.allowing
        out: tuple[RuleRef, ...] = ()
        for side in (self.egress, self.ingress):
            if not side.allowed:
                out += side.isolating
        return out


@dataclass(frozen=True, slots=True)
class PodAddressing:
    """How ipBlocks apply to pods: the mode and the pod CIDRs (see the module docstring)."""

    ipblock_pods: str = "match"
    pod_cidrs: tuple[IPNetwork, ...] = ALL_ADDRESSES

    @classmethod
    def of(
        cls, section: Mapping[str, Any], ipblock_pods: str | None = None, pod_cidrs: Sequence[str] = ()
    ) -> PodAddressing:
        """From the ``network`` config section (``ipBlockPods``, ``podCIDRs``), overridden by the
        command line; ``ValueError`` names a bad CIDR or mode."""
        mode = ipblock_pods or str(section.get("ipBlockPods") or "match")
        if mode not in IPBLOCK_POD_MODES:
            raise ValueError(f"ipBlockPods must be one of {', '.join(IPBLOCK_POD_MODES)}, not {mode!r}")
        texts = list(pod_cidrs) or [str(c) for c in section.get("podCIDRs") or ()]
        cidrs = tuple(parse_cidr(t) for t in texts)
        return cls(mode, cidrs or ALL_ADDRESSES)


_OPEN_SIDE_IN = SideVerdict("ingress", False, True)
_OPEN_SIDE_EG = SideVerdict("egress", False, True)

Endpoint = PodEndpoint | IPAddress | str  # a pod, an address, or EXTERNAL


_BINARY_DIGITS = bytes.maketrans(b"01", b"\x00\x01")


def _bits(mask: int, n: int) -> bytes:
    """``n`` bytes, byte ``i`` = bit ``i`` of ``mask`` (0 or 1)."""
    return format(mask, f"0{n}b")[::-1].encode().translate(_BINARY_DIGITS) if n else b""


class Network:
    """Pods, namespaces and NetworkPolicies of one input, indexed for reachability questions."""

    def __init__(
        self,
        endpoints: Sequence[PodEndpoint],
        policies: Sequence[NetworkPolicy],
        namespaces: Mapping[str, Mapping[str, str]] | None = None,
        *,
        ipblock_pods: str = "match",
        pod_cidrs: Sequence[IPNetwork] = ALL_ADDRESSES,
    ) -> None:
        if ipblock_pods not in IPBLOCK_POD_MODES:
            raise ValueError(
                f"ipblock_pods must be one of {', '.join(IPBLOCK_POD_MODES)}, not {ipblock_pods!r}"
            )
        self.ipblock_pods = ipblock_pods
        self.pod_cidrs = tuple(pod_cidrs) or ALL_ADDRESSES
        declared = dict(namespaces or {})
        self.declared_namespaces = frozenset(declared)
        #: Pods with hostNetwork: true, left out (NetworkPolicies do not apply to them).
        self.host_network: list[PodEndpoint] = []
        self.endpoints = list(endpoints)
        self.policies = [p for p in policies if p.valid]
        self.invalid = [p for p in policies if not p.valid]
        names = set(declared) | {e.namespace for e in self.endpoints} | {p.namespace for p in policies}
        self.namespace_labels: dict[str, dict[str, str]] = {
            n: namespace_labels(n, declared.get(n)) for n in sorted(names)
        }
        self._by_key: dict[str, list[int]] = defaultdict(list)
        for i, e in enumerate(self.endpoints):
            self._by_key[e.key].append(i)
        self._build_classes()
        self._compile()
        self._port_rows: dict[tuple[int, str], tuple[list[int], list[int]]] = {}
        self._named: dict[tuple[str, str, int], int] = {}

    # -- construction ------------------------------------------------------------------------------

    @classmethod
    def from_resources(
        cls,
        resources: Iterable[Resource],
        *,
        ipblock_pods: str = "match",
        pod_cidrs: Sequence[IPNetwork] = ALL_ADDRESSES,
    ) -> Network:
        endpoints: list[PodEndpoint] = []
        host_network: list[PodEndpoint] = []
        policies: list[NetworkPolicy] = []
        namespaces: dict[str, Mapping[str, str]] = {}
        for r in resources:
            if r.kind == "NetworkPolicy" and r.group in ("networking.k8s.io", "extensions"):
                policies.append(NetworkPolicy.of(r))
            elif r.kind == "Namespace" and r.group == "":
                namespaces[r.name] = r.labels
            else:
                ep = PodEndpoint.of(r)
                if ep is not None:
                    (host_network if ep.host_network else endpoints).append(ep)
        net = cls(endpoints, policies, namespaces, ipblock_pods=ipblock_pods, pod_cidrs=pod_cidrs)
        net.host_network = host_network
        return net

    def _build_classes(self) -> None:
        keys: dict[tuple[Any, ...], list[int]] = {}
        for i, e in enumerate(self.endpoints):
            k = (e.namespace, frozenset(e.labels.items()), e.ports)
            keys.setdefault(k, []).append(i)
        self.classes: list[PodClass] = []
        self.class_of: list[int] = [0] * len(self.endpoints)
        for ci, members in enumerate(keys.values()):
            rep = self.endpoints[members[0]]
            self.classes.append(PodClass(ci, rep.namespace, rep.labels, rep, tuple(members)))
            for m in members:
                self.class_of[m] = ci
        self.all_mask = (1 << len(self.classes)) - 1
        self._by_ns: dict[str, list[PodClass]] = defaultdict(list)
        for c in self.classes:
            self._by_ns[c.namespace].append(c)

    def _selector_mask(
        self, namespace: str | None, pod: LabelSelector | None, ns: LabelSelector | None
    ) -> int:
        key = (namespace, pod, ns)
        cached = self._mask_cache.get(key)
        if cached is not None:
            return cached
        mask = 0
        if namespace is not None:
            candidates: Iterable[PodClass] = self._by_ns.get(namespace, ())
        else:
            assert ns is not None
            if ns.is_empty:
                candidates = self.classes
            else:
                candidates = [
                    c for n, cs in self._by_ns.items() if ns.matches(self.namespace_labels[n]) for c in cs
                ]
        if pod is None or pod.is_empty:
            for c in candidates:
                mask |= 1 << c.index
        else:
            for c in candidates:
                if pod.matches(c.labels):
                    mask |= 1 << c.index
        self._mask_cache[key] = mask
        return mask

    def ipblock_matches_pods(self, block: Any) -> bool:
        """Whether an ipBlock (``IPBlock``) matches pods: it covers a whole pod CIDR, in ``match`` mode."""
        return self.ipblock_pods == "match" and any(block.covers(c) for c in self.pod_cidrs)

    def peer_mask(self, policy: NetworkPolicy, peer: Peer) -> int:
        """The classes a peer matches (an ipBlock: every pod, or none; see the module docstring)."""
        if peer.ip_block is not None:
            return self.all_mask if self.ipblock_matches_pods(peer.ip_block) else 0
        if peer.namespace_selector is None:
            return self._selector_mask(policy.namespace, peer.pod_selector, None)
        return self._selector_mask(None, peer.pod_selector, peer.namespace_selector)

    def _compile(self) -> None:
        self._mask_cache: dict[tuple[Any, ...], int] = {}
        n = len(self.classes)
        self.selected: list[int] = []
        self.ingress_rules: list[list[_Compiled]] = [[] for _ in range(n)]
        self.egress_rules: list[list[_Compiled]] = [[] for _ in range(n)]
        self.ingress_policies: list[list[NetworkPolicy]] = [[] for _ in range(n)]
        self.egress_policies: list[list[NetworkPolicy]] = [[] for _ in range(n)]
        for pol in self.policies:
            sel = self._selector_mask(pol.namespace, pol.pod_selector, None)
            self.selected.append(sel)
            if not sel:
                continue
            compiled_in = [self._compile_rule(pol, r) for r in pol.ingress] if pol.ingress_isolation else []
            compiled_eg = [self._compile_rule(pol, r) for r in pol.egress] if pol.egress_isolation else []
            members = [c for c in range(n) if sel >> c & 1]
            for c in members:
                if pol.ingress_isolation:
                    self.ingress_policies[c].append(pol)
                    self.ingress_rules[c].extend(compiled_in)
                if pol.egress_isolation:
                    self.egress_policies[c].append(pol)
                    self.egress_rules[c].extend(compiled_eg)

    def _compile_rule(self, pol: NetworkPolicy, rule: PolicyRule) -> _Compiled:
        if rule.peers is None:
            return _Compiled(pol, rule, self.all_mask, True, ())
        mask = 0
        blocks = []
        for p in rule.peers:
            if p.ip_block is not None:
                blocks.append(p.ip_block)
            mask |= self.peer_mask(pol, p)
        return _Compiled(pol, rule, mask, False, tuple(blocks))

    # -- lookups -----------------------------------------------------------------------------------

    def find(self, namespace: str, name: str) -> list[PodEndpoint]:
        """Endpoints named ``name`` (a Pod or a workload) in ``namespace``."""
        return [self.endpoints[i] for i in self._by_key.get(f"{namespace}/{name}", ())]

    def find_owner(self, namespace: str, pod_name: str) -> PodEndpoint | None:
        """The workload whose pods are named like ``pod_name`` (``web-7d9f8-x2x9z`` for Deployment
        ``web``, ``db-0`` for StatefulSet ``db``): the longest workload name followed by ``-``."""
        best: PodEndpoint | None = None
        for e in self.endpoints:
            if (
                e.namespace == namespace
                and e.kind != "Pod"
                and pod_name.startswith(e.name + "-")
                and (best is None or len(e.name) > len(best.name))
            ):
                best = e
        return best

    def class_for(self, endpoint: PodEndpoint) -> int:
        for i in self._by_key.get(endpoint.key, ()):
            if self.endpoints[i] is endpoint:
                return self.class_of[i]
        raise KeyError(endpoint.key)

    def selecting(self, endpoint: PodEndpoint) -> list[NetworkPolicy]:
        """Valid policies whose podSelector selects the endpoint."""
        c = self.class_for(endpoint)
        return [p for p, sel in zip(self.policies, self.selected, strict=True) if sel >> c & 1]

    # -- port matching -----------------------------------------------------------------------------

    def _named_mask(self, name: str, protocol: str, number: int) -> int:
        key = (name, protocol, number)
        mask = self._named.get(key)
        if mask is None:
            mask = 0
            for c in self.classes:
                if c.endpoint.named_port(name, protocol) == number:
                    mask |= 1 << c.index
            self._named[key] = mask
        return mask

    def _port_mask(self, rule: PolicyRule, number: int, protocol: str) -> int:
        """Destination classes for which the rule's ports match ``number/protocol``."""
        if rule.ports is None:
            return self.all_mask
        mask = 0
        for p in rule.ports:
            m = p.matches_number(number, protocol)
            if m is True:
                return self.all_mask
            if m is None:
                mask |= self._named_mask(str(p.port), protocol, number)
        return mask

    @staticmethod
    def _port_matches_ip(rule: PolicyRule, number: int, protocol: str) -> bool:
        if rule.ports is None:
            return True
        return any(p.matches_number(number, protocol) is True for p in rule.ports)

    # -- matrices ----------------------------------------------------------------------------------

    def rows(self, number: int, protocol: str = "TCP") -> tuple[list[int], list[int]]:
        """``(egress, ingress)`` bit sets per class for one port.

        ``egress[s]`` holds the destination classes that source class ``s`` may send to;
        ``ingress[d]`` the source classes that destination class ``d`` accepts from.
        """
        key = (number, protocol)
        cached = self._port_rows.get(key)
        if cached is not None:
            return cached
        n = len(self.classes)
        full = self.all_mask
        rule_port: dict[int, int] = {}

        def port_mask(cr: _Compiled) -> int:
            k = id(cr.rule)
            m = rule_port.get(k)
            if m is None:
                m = rule_port[k] = self._port_mask(cr.rule, number, protocol)
            return m

        egress = [full] * n
        ingress = [full] * n
        for s in range(n):
            if self.egress_policies[s]:
                acc = 0
                for cr in self.egress_rules[s]:
                    acc |= cr.peer_mask & port_mask(cr)
                egress[s] = acc
            if self.ingress_policies[s]:
                acc = 0
                bit = 1 << s
                for cr in self.ingress_rules[s]:
                    if port_mask(cr) & bit:
                        acc |= cr.peer_mask
                ingress[s] = acc
        self._port_rows[key] = (egress, ingress)
        return egress, ingress

    def class_matrix(self, number: int, protocol: str = "TCP") -> list[int]:
        """Per source class, the bit set of destination classes it can connect to on the port."""
        egress, ingress = self.rows(number, protocol)
        n = len(self.classes)
        # Transpose ingress (who accepts from s) once, then AND with egress. Destinations that are
        # not isolated for ingress accept everyone: one mask instead of n bits each.
        full = self.all_mask
        open_mask = 0
        accepts_from = [0] * n
        for d in range(n):
            m = ingress[d]
            bit = 1 << d
            if m == full:
                open_mask |= bit
                continue
            while m:
                low = m & -m
                accepts_from[low.bit_length() - 1] |= bit
                m ^= low
        return [egress[s] & (accepts_from[s] | open_mask) for s in range(n)]

    def pod_matrix(self, number: int, protocol: str = "TCP") -> list[bytes]:
        """The full endpoint-by-endpoint matrix (row = source, byte ``j`` = 1 when allowed).

        Rows are shared between endpoints of one class; the diagonal is a pod reaching itself.
        """
        cm = self.class_matrix(number, protocol)
        n = len(self.classes)
        class_rows = []
        if n <= 256:
            index = bytes(self.class_of)
            pad = bytes(256 - n)
            for m in cm:
                class_rows.append(index.translate(_bits(m, n) + pad))
        else:
            class_of = self.class_of
            for m in cm:
                class_rows.append(bytes(map(_bits(m, n).__getitem__, class_of)))
        return [class_rows[c] for c in self.class_of]

    def allowed(self, src: int, dst: int, number: int, protocol: str = "TCP") -> bool:
        """Endpoint ``src`` to endpoint ``dst`` (indexes into ``endpoints``)."""
        egress, ingress = self.rows(number, protocol)
        s, d = self.class_of[src], self.class_of[dst]
        return bool(egress[s] >> d & 1 and ingress[d] >> s & 1)

    def external_ingress(self, dst_class: int, number: int, protocol: str) -> bool:
        """Whether some address outside the cluster may connect to the class on the port."""
        if not self.ingress_policies[dst_class]:
            return True
        return any(
            (cr.all_peers or cr.ip_blocks) and self._port_mask(cr.rule, number, protocol) >> dst_class & 1
            for cr in self.ingress_rules[dst_class]
        )

    def external_egress(self, src_class: int, number: int, protocol: str) -> bool:
        """Whether the class may connect to some address outside the cluster on the port."""
        if not self.egress_policies[src_class]:
            return True
        return any(
            (cr.all_peers or cr.ip_blocks) and self._port_matches_ip(cr.rule, number, protocol)
            for cr in self.egress_rules[src_class]
        )

    # -- single questions with explanations --------------------------------------------------------

    def reach(self, src: Endpoint, dst: Endpoint, number: int, protocol: str = "TCP") -> Verdict:
        """Can ``src`` open a connection to ``dst`` on ``number/protocol``? With the deciding rules.

        A host-network pod is not subject to NetworkPolicy; to the other end it is the node's address,
        which policies match like an address outside the cluster (ipBlocks, or rules allowing all).
        """
        host_src = isinstance(src, PodEndpoint) and src.host_network
        host_dst = isinstance(dst, PodEndpoint) and dst.host_network
        if host_src or host_dst:
            egress = (
                SideVerdict("egress", False, True, host_network=True)
                if host_src
                else self._side("egress", src, EXTERNAL, number, protocol)
            )
            ingress = (
                SideVerdict("ingress", False, True, host_network=True)
                if host_dst
                else self._side("ingress", dst, EXTERNAL, number, protocol)
            )
            pods = " and ".join(e.key for e in (src, dst) if isinstance(e, PodEndpoint) and e.host_network)
            if src is dst:
                pods = src.key if isinstance(src, PodEndpoint) else pods
            note = HOST_NETWORK_NOTE.format(pods=pods)
            return Verdict(egress.allowed and ingress.allowed, egress, ingress, note)
        egress = self._side("egress", src, dst, number, protocol)
        ingress = self._side("ingress", dst, src, number, protocol)
        notes = []
        if not isinstance(src, PodEndpoint) and not isinstance(dst, PodEndpoint):
            notes.append("neither end is a pod: NetworkPolicies do not apply")
        elif isinstance(src, PodEndpoint) and src is dst:
            notes.append(SELF_NOTE if src.kind == "Pod" else REPLICA_NOTE)
        if (
            isinstance(src, PodEndpoint)
            and isinstance(dst, PodEndpoint)
            and (self._only_by_ipblock(egress, dst) or self._only_by_ipblock(ingress, src))
        ):
            notes.append(
                "a pod matched an ipBlock covering the pod CIDR (--ipblock-pods=match, as the upstream "
                "NetworkPolicy e2e tests expect); Cilium does not apply CIDR rules between its own "
                "endpoints (--ipblock-pods=ignore)"
            )
        return Verdict(egress.allowed and ingress.allowed, egress, ingress, "; ".join(notes))

    def _only_by_ipblock(self, side: SideVerdict, peer: PodEndpoint) -> bool:
        """Whether ``side`` is allowed, and only because an ipBlock matches the pod ``peer``."""
        if not side.isolated or not side.allowed:
            return False
        bit = 1 << self.class_for(peer)
        by_block = False
        for ref in side.allowing:
            pol = next((p for p in self.policies if p.key == ref.policy), None)
            rules = () if pol is None else (pol.ingress if side.direction == "ingress" else pol.egress)
            rule = next((r for r in rules if r.index == ref.index), None)
            if pol is None or rule is None or rule.peers is None:
                return False
            if any(p.ip_block is None and self.peer_mask(pol, p) & bit for p in rule.peers):
                return False  # a selector matches the pod as well
            by_block = True
        return by_block

    def _side(self, direction: str, pod: Endpoint, peer: Endpoint, number: int, protocol: str) -> SideVerdict:
        if not isinstance(pod, PodEndpoint):
            return _OPEN_SIDE_EG if direction == "egress" else _OPEN_SIDE_IN
        c = self.class_for(pod)
        policies = self.egress_policies[c] if direction == "egress" else self.ingress_policies[c]
        if not policies:
            return SideVerdict(direction, False, True)
        rules = self.egress_rules[c] if direction == "egress" else self.ingress_rules[c]
        dst = peer if direction == "egress" else pod
        allowing = []
        for cr in rules:
            if self._rule_matches(cr, peer, dst, number, protocol):
                allowing.append(
                    RuleRef(cr.policy.key, direction, cr.rule.index, cr.rule.pointer, cr.policy.resource)
                )
        isolating = tuple(
            RuleRef(p.key, direction, None, Pointer(("spec", "policyTypes")), p.resource) for p in policies
        )
        return SideVerdict(direction, True, bool(allowing), tuple(allowing), isolating)

    def _rule_matches(self, cr: _Compiled, peer: Endpoint, dst: Endpoint, number: int, protocol: str) -> bool:
        # peer
        if isinstance(peer, PodEndpoint):
            if not cr.peer_mask >> self.class_for(peer) & 1:
                return False
        elif peer == EXTERNAL:
            if not (cr.all_peers or cr.ip_blocks):
                return False
        elif (
            not isinstance(peer, str) and not cr.all_peers and not any(b.contains(peer) for b in cr.ip_blocks)
        ):
            return False
        # ports, resolved on the destination
        if isinstance(dst, PodEndpoint):
            return bool(self._port_mask(cr.rule, number, protocol) >> self.class_for(dst) & 1)
        return self._port_matches_ip(cr.rule, number, protocol)
