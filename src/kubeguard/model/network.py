"""Network objects as typed, read-only views: label selectors, NetworkPolicy (``networking.k8s.io/v1``)
with its peers, ports and ipBlocks, pod endpoints (from Pods and workload templates), Calico
selector expressions, and the namespace labels Kubernetes sets by itself.

Parsing happens here, once; the reachability engine (``kubeguard.analyzers.netpol``) and the NET
rules only read these views. Validation follows the API server: a NetworkPolicy the API server
would reject carries ``errors`` and is left out of reachability (it could never exist in a cluster).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from kubeguard.model.pointer import Pointer

if TYPE_CHECKING:
    from kubeguard.model.resource import Resource

#: Label the API server sets on every namespace (1.21+), whatever the manifest says.
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
PROTOCOLS = ("TCP", "UDP", "SCTP")
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_SPEC = Pointer(("spec",))
# IANA_SVC_NAME: at most 15 lower-case letters, digits and '-', at least one letter, no '-' at the ends.
_PORT_NAME = re.compile(r"^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$")
#: The value of an absent or malformed mapping field; read-only, because it is shared by every caller.
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else _EMPTY


def namespace_labels(name: str, declared: Mapping[str, str] | None = None) -> dict[str, str]:
    """A namespace's labels as the API server keeps them: declared ones plus its name label."""
    labels = {str(k): str(v) for k, v in (declared or {}).items()}
    labels[NAMESPACE_NAME_LABEL] = name
    return labels


# --------------------------------------------------------------------------------------------------
# Label selectors


@dataclass(frozen=True, slots=True)
class Requirement:
    key: str
    operator: str  # In, NotIn, Exists, DoesNotExist
    values: frozenset[str]

    def matches(self, labels: Mapping[str, str]) -> bool:
        op = self.operator
        if op == "In":
            return self.key in labels and labels[self.key] in self.values
        if op == "NotIn":
            return self.key not in labels or labels[self.key] not in self.values
        if op == "Exists":
            return self.key in labels
        return self.key not in labels  # DoesNotExist

    def __str__(self) -> str:
        if self.operator == "Exists":
            return self.key
        if self.operator == "DoesNotExist":
            return f"!{self.key}"
        word = "in" if self.operator == "In" else "notin"
        return f"{self.key} {word} ({','.join(sorted(self.values))})"


@dataclass(frozen=True, slots=True)
class LabelSelector:
    """A ``metav1.LabelSelector``: matchLabels AND every matchExpression. ``{}`` selects everything."""

    match_labels: tuple[tuple[str, str], ...] = ()
    expressions: tuple[Requirement, ...] = ()
    errors: tuple[str, ...] = ()

    @classmethod
    def parse(cls, raw: Any) -> LabelSelector:
        if raw is None:
            return EVERYTHING
        if not isinstance(raw, dict):
            return cls(errors=("selector must be an object",))
        errors: list[str] = []
        ml = raw.get("matchLabels")
        labels: list[tuple[str, str]] = []
        if isinstance(ml, dict):
            labels = sorted((str(k), "" if v is None else str(v)) for k, v in ml.items())
        elif ml is not None:
            errors.append("matchLabels must be a map")
        exprs: list[Requirement] = []
        me = raw.get("matchExpressions")
        if isinstance(me, list):
            for i, e in enumerate(me):
                e = _dict(e)
                op = str(e.get("operator") or "")
                values = e.get("values")
                vals = frozenset(str(v) for v in values) if isinstance(values, list) else frozenset()
                if op not in ("In", "NotIn", "Exists", "DoesNotExist"):
                    errors.append(f"matchExpressions[{i}]: unknown operator {op!r}")
                    continue
                if op in ("In", "NotIn") and not vals:
                    errors.append(f"matchExpressions[{i}]: operator {op} needs values")
                if op in ("Exists", "DoesNotExist") and vals:
                    errors.append(f"matchExpressions[{i}]: operator {op} takes no values")
                exprs.append(Requirement(str(e.get("key") or ""), op, vals))
        elif me is not None:
            errors.append("matchExpressions must be a list")
        return cls(tuple(labels), tuple(exprs), tuple(errors))

    @property
    def is_empty(self) -> bool:
        return not self.match_labels and not self.expressions

    def matches(self, labels: Mapping[str, str]) -> bool:
        for k, v in self.match_labels:
            if labels.get(k) != v:
                return False
        return all(r.matches(labels) for r in self.expressions)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.match_labels:
            out["matchLabels"] = dict(self.match_labels)
        if self.expressions:
            out["matchExpressions"] = [
                {"key": r.key, "operator": r.operator, **({"values": sorted(r.values)} if r.values else {})}
                for r in self.expressions
            ]
        return out

    def __str__(self) -> str:
        parts = [f"{k}={v}" for k, v in self.match_labels] + [str(r) for r in self.expressions]
        return ",".join(parts) if parts else "{}"


EVERYTHING = LabelSelector()


# --------------------------------------------------------------------------------------------------
# NetworkPolicy


@dataclass(frozen=True, slots=True)
class IPBlock:
    cidr: IPNetwork
    excepts: tuple[IPNetwork, ...]

    def contains(self, ip: IPAddress) -> bool:
        return ip in self.cidr and not any(ip in e for e in self.excepts)

    def covers(self, network: IPNetwork) -> bool:
        """Whether every address of ``network`` is in the block (inside ``cidr``, in no ``except``)."""
        return (
            network.version == self.cidr.version
            and network.subnet_of(self.cidr)  # type: ignore[arg-type]
            and not any(e.overlaps(network) for e in self.excepts)
        )

    def __str__(self) -> str:
        ex = f" except {', '.join(map(str, self.excepts))}" if self.excepts else ""
        return f"{self.cidr}{ex}"


@dataclass(frozen=True, slots=True)
class Peer:
    """One ``from``/``to`` entry: podSelector, namespaceSelector (both = AND), or an ipBlock."""

    pod_selector: LabelSelector | None
    namespace_selector: LabelSelector | None
    ip_block: IPBlock | None
    pointer: Pointer

    def describe(self, policy_namespace: str) -> str:
        if self.ip_block is not None:
            return f"ipBlock {self.ip_block}"
        parts = []
        if self.namespace_selector is not None:
            parts.append(f"namespaces {{{self.namespace_selector}}}")
        else:
            parts.append(f"namespace {policy_namespace}")
        if self.pod_selector is not None:
            parts.append(f"pods {{{self.pod_selector}}}")
        else:
            parts.append("all pods")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class PolicyPort:
    """One ``ports`` entry. ``port`` is a number, a port name, or ``None`` (every port)."""

    protocol: str
    port: int | str | None
    end_port: int | None
    pointer: Pointer

    def matches_number(self, number: int, protocol: str) -> bool | None:
        """True/False for numeric or absent ports; ``None`` when the port is a name (needs the pod)."""
        if protocol != self.protocol:
            return False
        if self.port is None:
            return True
        if isinstance(self.port, str):
            return None
        if self.end_port is not None:
            return self.port <= number <= self.end_port
        return number == self.port

    def __str__(self) -> str:
        if self.port is None:
            return f"any/{self.protocol}"
        if self.end_port is not None:
            return f"{self.port}-{self.end_port}/{self.protocol}"
        return f"{self.port}/{self.protocol}"


@dataclass(frozen=True, slots=True)
class PolicyRule:
    """An ingress or egress rule. ``peers``/``ports`` are ``None`` when missing or empty (= all)."""

    direction: str  # "ingress" or "egress"
    index: int
    peers: tuple[Peer, ...] | None
    ports: tuple[PolicyPort, ...] | None
    pointer: Pointer

    @property
    def peers_pointer(self) -> Pointer:
        return self.pointer / ("from" if self.direction == "ingress" else "to")


@dataclass(frozen=True, slots=True)
class NetworkPolicy:
    resource: Resource
    namespace: str
    name: str
    pod_selector: LabelSelector
    ingress_isolation: bool
    egress_isolation: bool
    ingress: tuple[PolicyRule, ...]
    egress: tuple[PolicyRule, ...]
    errors: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def valid(self) -> bool:
        return not self.errors

    def rules(self) -> Iterator[PolicyRule]:
        yield from self.ingress
        yield from self.egress

    @classmethod
    def of(cls, resource: Resource) -> NetworkPolicy:
        spec = _dict(resource.raw.get("spec"))
        errors: list[str] = []
        sel = LabelSelector.parse(spec.get("podSelector"))
        errors.extend(f"spec.podSelector: {e}" for e in sel.errors)
        raw_types = spec.get("policyTypes")
        ingress_raw = spec.get("ingress")
        egress_raw = spec.get("egress")
        if isinstance(raw_types, list) and raw_types:
            types = {str(t) for t in raw_types}
            bad = types - {"Ingress", "Egress"}
            if bad:
                errors.append(f"spec.policyTypes: unknown type(s) {', '.join(sorted(bad))}")
        else:
            # Defaulting: Ingress always; Egress only when egress rules are present.
            types = {"Ingress"}
            if isinstance(egress_raw, list) and egress_raw:
                types.add("Egress")
        ingress = _rules("ingress", ingress_raw, errors)
        egress = _rules("egress", egress_raw, errors)
        ns = resource.effective_namespace or "default"
        return cls(
            resource,
            ns,
            resource.name,
            sel,
            "Ingress" in types,
            "Egress" in types,
            ingress,
            egress,
            tuple(errors),
        )


def _rules(direction: str, raw: Any, errors: list[str]) -> tuple[PolicyRule, ...]:
    if raw is None:
        return ()
    base = _SPEC / direction
    if not isinstance(raw, list):
        errors.append(f"spec.{direction} must be a list")
        return ()
    peer_key = "from" if direction == "ingress" else "to"
    out = []
    for i, r in enumerate(raw):
        ptr = base / i
        r = _dict(r)
        peers_raw = r.get(peer_key)
        peers: tuple[Peer, ...] | None = None
        if isinstance(peers_raw, list) and peers_raw:
            peers = tuple(_peer(p, ptr / peer_key / j, errors) for j, p in enumerate(peers_raw))
        ports_raw = r.get("ports")
        ports: tuple[PolicyPort, ...] | None = None
        if isinstance(ports_raw, list) and ports_raw:
            ports = tuple(_port(p, ptr / "ports" / j, errors) for j, p in enumerate(ports_raw))
        out.append(PolicyRule(direction, i, peers, ports, ptr))
    return tuple(out)


def _where(ptr: Pointer) -> str:
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in ptr).replace(".[", "[")


def _peer(raw: Any, ptr: Pointer, errors: list[str]) -> Peer:
    raw = _dict(raw)
    # A null selector is an unset one (Go pointers): only {} selects everything.
    pod = LabelSelector.parse(raw["podSelector"]) if raw.get("podSelector") is not None else None
    ns = LabelSelector.parse(raw["namespaceSelector"]) if raw.get("namespaceSelector") is not None else None
    block: IPBlock | None = None
    where = _where(ptr)
    for s in (pod, ns):
        if s is not None:
            errors.extend(f"{where}: {e}" for e in s.errors)
    if raw.get("ipBlock") is not None:
        if pod is not None or ns is not None:
            errors.append(f"{where}: ipBlock may not be combined with a selector")
        ib = _dict(raw["ipBlock"])
        try:
            cidr = ipaddress.ip_network(str(ib.get("cidr") or ""), strict=False)
            excepts = []
            for e in ib.get("except") or ():
                ex = ipaddress.ip_network(str(e), strict=False)
                # The API server wants a strict subset: same family, inside, and a longer prefix.
                if ex.version != cidr.version or ex.prefixlen <= cidr.prefixlen or not ex.subnet_of(cidr):  # type: ignore[arg-type]
                    errors.append(f"{where}: except {e} must be a strict subset of {cidr}")
                excepts.append(ex)
            block = IPBlock(cidr, tuple(excepts))
        except ValueError as exc:
            errors.append(f"{where}: invalid ipBlock: {exc}")
    elif pod is None and ns is None:
        errors.append(f"{where}: must specify a peer (podSelector, namespaceSelector or ipBlock)")
    return Peer(pod, ns, block, ptr)


def _port(raw: Any, ptr: Pointer, errors: list[str]) -> PolicyPort:
    raw = _dict(raw)
    where = _where(ptr)
    protocol = str(raw.get("protocol") or "TCP")
    if protocol not in PROTOCOLS:
        errors.append(f"{where}: unknown protocol {protocol!r}")
    port: int | str | None = None
    value = raw.get("port")
    if isinstance(value, bool):
        errors.append(f"{where}: port must be a number or a name")
    elif isinstance(value, int):
        port = value
        if not 1 <= value <= 65535:
            errors.append(f"{where}: port {value} out of range")
    elif isinstance(value, str) and value:
        port = value
        if not _PORT_NAME.match(value) or "--" in value:
            # An IntOrString holding a string is a port name (IANA_SVC_NAME), even "80".
            errors.append(f"{where}: invalid port name {value!r}")
    end = raw.get("endPort")
    end_port: int | None = None
    if end is not None:
        if not isinstance(end, int) or isinstance(end, bool):
            errors.append(f"{where}: endPort must be a number")
        elif not isinstance(port, int):
            errors.append(f"{where}: endPort needs a numeric port")
        elif end < port:
            errors.append(f"{where}: endPort {end} is below port {port}")
        else:
            end_port = end
    return PolicyPort(protocol, port, end_port, ptr)


# --------------------------------------------------------------------------------------------------
# Pod endpoints


@dataclass(frozen=True, slots=True)
class ContainerPort:
    name: str | None
    number: int
    protocol: str


@dataclass(frozen=True, slots=True)
class PodEndpoint:
    """Pods as a network endpoint: a Pod, or the pods of a workload template (all replicas alike)."""

    namespace: str
    name: str
    kind: str
    labels: Mapping[str, str]
    ports: tuple[ContainerPort, ...]
    host_network: bool = False
    resource: Resource | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"

    def named_port(self, name: str, protocol: str) -> int | None:
        for p in self.ports:
            if p.name == name and p.protocol == protocol:
                return p.number
        return None

    @classmethod
    def of(cls, resource: Resource) -> PodEndpoint | None:
        """The endpoint of a resource that runs pods; ``None`` otherwise (a PodTemplate runs none)."""
        if resource.kind == "PodTemplate":
            return None
        wl = resource.workload
        if wl is None:
            return None
        ports: list[ContainerPort] = []
        seen: set[tuple[int, str]] = set()
        # Read the pod spec directly: building Container views is not needed for ports.
        # Ephemeral containers cannot declare ports; restartable init containers (sidecars) can.
        for field_name in ("containers", "initContainers"):
            items = wl.spec.get(field_name)
            for c in items if isinstance(items, list) else ():
                raw_ports = c.get("ports") if isinstance(c, dict) else None
                for p in raw_ports if isinstance(raw_ports, list) else ():
                    p = _dict(p)
                    num = p.get("containerPort")
                    if not isinstance(num, int) or isinstance(num, bool):
                        continue
                    proto = str(p.get("protocol") or "TCP")
                    if (num, proto) in seen:
                        continue
                    seen.add((num, proto))
                    name = p.get("name")
                    ports.append(ContainerPort(str(name) if name else None, num, proto))
        labels = {str(k): "" if v is None else str(v) for k, v in wl.labels.items()}
        return cls(
            resource.effective_namespace or "default",
            resource.name,
            resource.kind,
            labels,
            tuple(sorted(ports, key=lambda p: (p.number, p.protocol))),
            wl.spec.get("hostNetwork") is True,
            resource,
        )


# --------------------------------------------------------------------------------------------------
# Calico selector expressions (projectcalico.org/v3): a practical subset, conservative when unsure.

_CALICO_TOKEN = re.compile(
    r"\s*(?:(?P<op>==|!=|&&|\|\||!|\(|\)|\{|\}|,)|(?P<str>'[^']*'|\"[^\"]*\")|(?P<word>[A-Za-z0-9_./\-]+))"
)


class CalicoSelector:
    """A Calico selector such as ``app == 'web' && has(tier)``; ``all()`` or empty selects everything.

    Supports ``==``, ``!=``, ``in {..}``, ``not in {..}``, ``has()``, ``!``, ``&&``, ``||``,
    parentheses and ``all()``. ``parsed`` is False for anything else; callers then treat the
    selector as matching everything (so pods are not reported as unprotected on a guess).
    """

    __slots__ = ("_tokens", "expr", "parsed", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._tokens: list[tuple[str, str]] = []
        self.expr: Any = ("all",)
        self.parsed = True
        try:
            self._tokens = self._tokenize(text)
            if self._tokens:
                self.expr = self._or()
                if self._tokens:
                    raise ValueError("trailing input")
        except (ValueError, IndexError):
            self.parsed = False
            self.expr = ("all",)

    @staticmethod
    def _tokenize(text: str) -> list[tuple[str, str]]:
        out = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            m = _CALICO_TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                raise ValueError(f"unexpected {text[pos:]!r}")
            pos = m.end()
            if m.group("op"):
                out.append(("op", m.group("op")))
            elif m.group("str"):
                out.append(("str", m.group("str")[1:-1]))
            elif m.group("word"):
                out.append(("word", m.group("word")))
        return out

    def _peek(self) -> tuple[str, str] | None:
        return self._tokens[0] if self._tokens else None

    def _take(self) -> tuple[str, str]:
        return self._tokens.pop(0)

    def _or(self) -> Any:
        left = self._and()
        while self._peek() == ("op", "||"):
            self._take()
            left = ("or", left, self._and())
        return left

    def _and(self) -> Any:
        left = self._unary()
        while self._peek() == ("op", "&&"):
            self._take()
            left = ("and", left, self._unary())
        return left

    def _unary(self) -> Any:
        tok = self._take()
        if tok == ("op", "!"):
            return ("not", self._unary())
        if tok == ("op", "("):
            inner = self._or()
            if self._take() != ("op", ")"):
                raise ValueError("expected )")
            return inner
        if tok[0] != "word":
            raise ValueError(f"unexpected {tok[1]!r}")
        word = tok[1]
        if word in ("all", "has") and self._peek() == ("op", "("):
            self._take()
            if word == "all":
                if self._take() != ("op", ")"):
                    raise ValueError("all() takes nothing")
                return ("all",)
            key = self._take()
            if key[0] != "word" or self._take() != ("op", ")"):
                raise ValueError("has(key)")
            return ("has", key[1])
        nxt = self._take()
        if nxt in (("op", "=="), ("op", "!=")):
            val = self._take()
            if val[0] not in ("str", "word"):
                raise ValueError("expected a value")
            return ("eq" if nxt[1] == "==" else "ne", word, val[1])
        negate = False
        if nxt == ("word", "not"):
            negate = True
            nxt = self._take()
        if nxt == ("word", "in") and self._take() == ("op", "{"):
            values: set[str] = set()
            while True:
                t = self._take()
                if t == ("op", "}"):
                    break
                if t == ("op", ","):
                    continue
                values.add(t[1])
            return ("notin" if negate else "in", word, frozenset(values))
        raise ValueError(f"unsupported operator near {word!r}")

    def matches(self, labels: Mapping[str, str]) -> bool:
        return _calico_eval(self.expr, labels)

    @property
    def selects_all(self) -> bool:
        return bool(self.expr == ("all",))


def _calico_eval(expr: Any, labels: Mapping[str, str]) -> bool:
    op = expr[0]
    if op == "all":
        return True
    if op == "has":
        return bool(expr[1] in labels)
    if op == "eq":
        return bool(labels.get(expr[1]) == expr[2])
    if op == "ne":
        return bool(labels.get(expr[1]) != expr[2])
    if op == "in":
        return bool(labels.get(expr[1]) in expr[2])
    if op == "notin":
        return bool(labels.get(expr[1]) not in expr[2])
    if op == "not":
        return not _calico_eval(expr[1], labels)
    if op == "and":
        return _calico_eval(expr[1], labels) and _calico_eval(expr[2], labels)
    return _calico_eval(expr[1], labels) or _calico_eval(expr[2], labels)


#: Pod CIDRs assumed when none are configured: the whole IPv4 and IPv6 space (pod IPs are not
#: known from manifests, so only a block that covers every address surely covers a pod's).
ALL_ADDRESSES: tuple[IPNetwork, ...] = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))


def parse_cidr(text: str) -> IPNetwork:
    """A CIDR such as ``10.244.0.0/16`` (host bits must be zero); ``ValueError`` otherwise."""
    try:
        return ipaddress.ip_network(str(text).strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a CIDR such as 10.244.0.0/16 or fd00:10:244::/56") from None


def parse_ip(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None
