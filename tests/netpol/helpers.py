"""Building networks from YAML text for the netpol tests, and reading their matrices."""

from __future__ import annotations

import yaml

from kubeguard.analyzers.netpol.engine import Network
from kubeguard.model.resource import Resource, SourceLocation


def resources(text: str) -> list[Resource]:
    return [Resource(d, SourceLocation("<test>", i)) for i, d in enumerate(yaml.safe_load_all(text)) if d]


def network(text: str) -> Network:
    return Network.from_resources(resources(text))


def pod(name: str, ns: str = "default", labels: dict[str, str] | None = None, ports: str = "") -> str:
    """A Pod document; ``ports`` like ``http:8080/TCP,dns:53/UDP,9000``."""
    port_list = []
    for item in filter(None, ports.split(",")):
        pname, _, rest = item.rpartition(":")
        number, _, proto = rest.partition("/")
        entry = {"containerPort": int(number), "protocol": proto or "TCP"}
        if pname:
            entry["name"] = pname
        port_list.append(entry)
    container = {"name": "c", "image": "nginx:1.27"}
    if port_list:
        container["ports"] = port_list
    doc = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": labels or {}},
        "spec": {"containers": [container]},
    }
    return "---\n" + yaml.safe_dump(doc)


def policy(name: str, ns: str = "default", **spec: object) -> str:
    doc = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"podSelector": {}, **spec},
    }
    return "---\n" + yaml.safe_dump(doc)


def namespace(name: str, labels: dict[str, str] | None = None) -> str:
    doc = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels or {}}}
    return "---\n" + yaml.safe_dump(doc)


def allowed_pairs(net: Network, port: int, protocol: str = "TCP") -> set[tuple[str, str]]:
    """Every (source, destination) endpoint pair allowed on the port, self-pairs left out."""
    out = set()
    for i, src in enumerate(net.endpoints):
        for j, dst in enumerate(net.endpoints):
            if i != j and net.allowed(i, j, port, protocol):
                out.add((src.name, dst.name))
    return out


def all_pairs(net: Network) -> set[tuple[str, str]]:
    names = [e.name for e in net.endpoints]
    return {(a, b) for a in names for b in names if a != b}
