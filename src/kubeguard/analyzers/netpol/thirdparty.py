"""CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy and Calico NetworkPolicy/GlobalNetworkPolicy,
recognised far enough to know which pods they select and in which directions they isolate them.

They are not evaluated for reachability (their rule languages differ: L7, FQDN, deny and pass
actions, ordering); they only keep the NET rules from calling selected pods unprotected. Where a
selector cannot be understood, it is taken to select everything it could (no false alarm).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kubeguard.model.network import CalicoSelector, LabelSelector, Requirement
from kubeguard.model.resource import Resource

CILIUM_GROUP = "cilium.io"
CALICO_GROUPS = ("projectcalico.org", "crd.projectcalico.org")
CILIUM_NS_LABEL = "io.kubernetes.pod.namespace"
CILIUM_NS_LABELS_PREFIX = "io.cilium.k8s.namespace.labels."
CALICO_NS_LABEL = "projectcalico.org/namespace"
KINDS = ("CiliumNetworkPolicy", "CiliumClusterwideNetworkPolicy", "NetworkPolicy", "GlobalNetworkPolicy")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strip_cilium_prefix(selector: LabelSelector) -> LabelSelector:
    """Cilium label keys may carry a source prefix (``k8s:app``, ``any:app``); pod labels don't."""

    def strip(key: str) -> str:
        for prefix in ("k8s:", "any:"):
            if key.startswith(prefix):
                return key[len(prefix) :]
        return key

    return LabelSelector(
        tuple((strip(k), v) for k, v in selector.match_labels),
        tuple(Requirement(strip(r.key), r.operator, r.values) for r in selector.expressions),
        selector.errors,
    )


@dataclass(frozen=True, slots=True)
class ThirdPartyPolicy:
    """One Cilium or Calico policy: whom it selects and whether it isolates ingress and egress."""

    resource: Resource
    kind: str
    namespace: str | None  # None: cluster-wide
    ingress: bool
    egress: bool
    cilium: LabelSelector | None = None
    calico: CalicoSelector | None = None
    calico_namespaces: CalicoSelector | None = None

    @property
    def key(self) -> str:
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {ns}{self.resource.name}"

    def selects(self, namespace: str, labels: Mapping[str, str], ns_labels: Mapping[str, str]) -> bool:
        if self.namespace is not None and namespace != self.namespace:
            return False
        if self.cilium is not None:
            if self.cilium.errors:
                return True
            merged = dict(labels)
            merged[CILIUM_NS_LABEL] = namespace
            for k, v in ns_labels.items():
                merged[CILIUM_NS_LABELS_PREFIX + k] = v
            return self.cilium.matches(merged)
        ns_sel = self.calico_namespaces
        if ns_sel is not None and ns_sel.parsed and not ns_sel.matches(ns_labels):
            return False
        if self.calico is not None:
            if not self.calico.parsed:
                return True
            merged = dict(labels)
            merged[CALICO_NS_LABEL] = namespace
            for k, v in ns_labels.items():
                merged[f"pcns.{k}"] = v
            return self.calico.matches(merged)
        return True

    def selects_whole_namespace(self, namespace: str, ns_labels: Mapping[str, str]) -> bool:
        """True when every pod of the namespace is selected, whatever its labels."""
        if self.namespace is not None and namespace != self.namespace:
            return False
        if self.cilium is not None:
            keys = [k for k, _ in self.cilium.match_labels] + [r.key for r in self.cilium.expressions]
            rest = [k for k in keys if k != CILIUM_NS_LABEL and not k.startswith(CILIUM_NS_LABELS_PREFIX)]
            return not rest and self.selects(namespace, {}, ns_labels)
        ns_sel = self.calico_namespaces
        if ns_sel is not None and ns_sel.parsed and not ns_sel.matches(ns_labels):
            return False
        if self.calico is not None:
            return self.calico.parsed and self.calico.selects_all
        return False


def _cilium(resource: Resource) -> list[ThirdPartyPolicy]:
    raw = resource.raw
    specs = [s for s in [raw.get("spec"), *list(raw.get("specs") or [])] if isinstance(s, dict)]
    namespace = resource.effective_namespace if resource.kind == "CiliumNetworkPolicy" else None
    out = []
    for spec in specs:
        if "endpointSelector" not in spec:
            continue  # nodeSelector: a host policy, no pods
        sel = _strip_cilium_prefix(LabelSelector.parse(spec.get("endpointSelector") or {}))
        default_deny = _dict(spec.get("enableDefaultDeny"))
        ingress = ("ingress" in spec or "ingressDeny" in spec) and default_deny.get("ingress") is not False
        egress = ("egress" in spec or "egressDeny" in spec) and default_deny.get("egress") is not False
        out.append(ThirdPartyPolicy(resource, resource.kind, namespace, ingress, egress, cilium=sel))
    return out


def _calico(resource: Resource) -> ThirdPartyPolicy:
    spec = _dict(resource.raw.get("spec"))
    types = spec.get("types")
    if isinstance(types, list) and types:
        wanted = {str(t) for t in types}
    else:
        wanted = set()
        if spec.get("ingress") or not spec.get("egress"):
            wanted.add("Ingress")
        if spec.get("egress"):
            wanted.add("Egress")
    selector = CalicoSelector(str(spec.get("selector") or ""))
    glob = resource.kind == "GlobalNetworkPolicy"
    ns_sel = (
        CalicoSelector(str(spec["namespaceSelector"])) if glob and spec.get("namespaceSelector") else None
    )
    return ThirdPartyPolicy(
        resource,
        resource.kind,
        None if glob else resource.effective_namespace,
        "Ingress" in wanted,
        "Egress" in wanted,
        calico=selector,
        calico_namespaces=ns_sel,
    )


def third_party_policies(resources: Iterable[Resource]) -> list[ThirdPartyPolicy]:
    out: list[ThirdPartyPolicy] = []
    for r in resources:
        if r.kind not in KINDS:
            continue
        group = r.group
        if group == CILIUM_GROUP and r.kind.startswith("Cilium"):
            out.extend(_cilium(r))
        elif group in CALICO_GROUPS and r.kind in ("NetworkPolicy", "GlobalNetworkPolicy"):
            out.append(_calico(r))
    return out
