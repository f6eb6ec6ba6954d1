"""Istio: the PeerAuthentication mTLS mode that applies to each workload, and AuthorizationPolicies
that allow every request.

PeerAuthentication precedence (most specific wins): a policy with a workload ``selector`` in the
workload's namespace, then the namespace-wide policy (no selector), then the mesh-wide policy (no
selector) in the root namespace (``istio-system`` unless configured). A mode of ``UNSET`` (or none)
inherits from the next level; with nothing set at all the mesh default is ``PERMISSIVE``.
``portLevelMtls`` (only honoured on policies with a selector) overrides the mode per container port,
``UNSET`` there inheriting the workload's effective mode. Where several policies tie, the first in
the input wins (Istio picks the oldest; manifests have no creation time).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kubeguard.model.network import LabelSelector
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource

ISTIO_GROUP = "security.istio.io"
DEFAULT_ROOT_NAMESPACE = "istio-system"
MODES = ("UNSET", "DISABLE", "PERMISSIVE", "STRICT")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class PeerAuthentication:
    resource: Resource
    namespace: str
    selector: LabelSelector | None  # None: namespace-wide (or mesh-wide in the root namespace)
    mode: str  # one of MODES
    port_modes: Mapping[int, str]

    @classmethod
    def of(cls, resource: Resource) -> PeerAuthentication:
        spec = _dict(resource.raw.get("spec"))
        raw_sel = spec.get("selector")
        selector = None
        if isinstance(raw_sel, dict) and _dict(raw_sel.get("matchLabels")):
            selector = LabelSelector.parse({"matchLabels": raw_sel["matchLabels"]})
        mode = str(_dict(spec.get("mtls")).get("mode") or "UNSET").upper()
        ports: dict[int, str] = {}
        for port, value in _dict(spec.get("portLevelMtls")).items():
            try:
                ports[int(port)] = str(_dict(value).get("mode") or "UNSET").upper()
            except (TypeError, ValueError):
                continue
        return cls(resource, resource.effective_namespace or "default", selector, mode, ports)


@dataclass(frozen=True, slots=True)
class EffectiveMtls:
    mode: str
    source: Resource | None  # the policy that set the mode; None for the mesh default
    port_modes: Mapping[int, tuple[str, Resource]] = field(default_factory=dict)


class MeshPolicies:
    """PeerAuthentications of one input, indexed by namespace."""

    def __init__(self, resources: Iterable[Resource], root_namespace: str = DEFAULT_ROOT_NAMESPACE) -> None:
        self.root_namespace = root_namespace
        self.peer_auth = [
            PeerAuthentication.of(r)
            for r in resources
            if r.kind == "PeerAuthentication" and r.group == ISTIO_GROUP
        ]
        self._ns_wide: dict[str, PeerAuthentication] = {}
        self._selective: dict[str, list[PeerAuthentication]] = {}
        for pa in self.peer_auth:
            if pa.selector is None:
                self._ns_wide.setdefault(pa.namespace, pa)
            else:
                self._selective.setdefault(pa.namespace, []).append(pa)

    def effective(self, namespace: str, labels: Mapping[str, str]) -> EffectiveMtls:
        chain: list[PeerAuthentication] = []
        for pa in self._selective.get(namespace, ()):
            if pa.selector is not None and pa.selector.matches(labels):
                chain.append(pa)
                break
        if namespace in self._ns_wide:
            chain.append(self._ns_wide[namespace])
        mesh = self._ns_wide.get(self.root_namespace)
        if mesh is not None and namespace != self.root_namespace:
            chain.append(mesh)
        mode, source = "PERMISSIVE", None
        for pa in chain:
            if pa.mode != "UNSET":
                mode, source = pa.mode, pa
                break
        ports: dict[int, tuple[str, Resource]] = {}
        if chain and chain[0].selector is not None:
            for port, pmode in chain[0].port_modes.items():
                ports[port] = (mode if pmode == "UNSET" else pmode, chain[0].resource)
        return EffectiveMtls(mode, source.resource if source else None, ports)


def allows_everything(resource: Resource) -> Pointer | None:
    """For an ALLOW AuthorizationPolicy with a rule that matches every request, that rule's pointer.

    ``spec: {}`` (no rules) allows nothing; ``rules: [{}]`` (a rule without from, to and when) allows
    everything to the workloads the policy selects.
    """
    spec = _dict(resource.raw.get("spec"))
    action = str(spec.get("action") or "ALLOW").upper()
    if action != "ALLOW":
        return None
    rules = spec.get("rules")
    if not isinstance(rules, list):
        return None
    for i, rule in enumerate(rules):
        if isinstance(rule, dict) and not any(rule.get(k) for k in ("from", "to", "when")):
            return Pointer(("spec", "rules", i))
        if rule is None:
            return Pointer(("spec", "rules", i))
    return None
