"""Connection lists built from the engine: the reachability matrix of an input, and what a change opens
and closes between two inputs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kubeguard.analyzers.netpol.engine import EXTERNAL, Network

#: Port used for egress to outside the cluster when no port is asked for.
DEFAULT_EXTERNAL_PORT = (443, "TCP")


@dataclass(frozen=True, slots=True, order=True)
class Connection:
    src: str
    dst: str
    port: int
    protocol: str
    allowed: bool

    @property
    def key(self) -> tuple[str, str, int, str]:
        return (self.src, self.dst, self.port, self.protocol)

    def to_dict(self) -> dict[str, object]:
        return {
            "from": self.src,
            "to": self.dst,
            "port": self.port,
            "protocol": self.protocol,
            "allowed": self.allowed,
        }


def connections(net: Network, port: tuple[int, str] | None = None, external: bool = True) -> list[Connection]:
    """Every (source, destination, port) verdict.

    Destinations are tried on each port their containers declare, or only on ``port`` when given.
    With ``external``, ``<external>`` (any address outside the cluster) appears as a source for
    every destination port and as a destination on ``port`` (443/TCP when not given).
    """
    by_port: dict[tuple[int, str], list[int]] = defaultdict(list)
    for j, ep in enumerate(net.endpoints):
        if port is not None:
            by_port[port].append(j)
        else:
            for p in ep.ports:
                by_port[(p.number, p.protocol)].append(j)
    out: list[Connection] = []
    names = [e.key for e in net.endpoints]
    for (number, proto), dsts in sorted(by_port.items()):
        rows = net.pod_matrix(number, proto)
        for j in dsts:
            dname = names[j]
            for i, row in enumerate(rows):
                out.append(Connection(names[i], dname, number, proto, bool(row[j])))
            if external:
                out.append(
                    Connection(
                        EXTERNAL, dname, number, proto, net.external_ingress(net.class_of[j], number, proto)
                    )
                )
    if external:
        number, proto = port or DEFAULT_EXTERNAL_PORT
        for i, name in enumerate(names):
            out.append(
                Connection(name, EXTERNAL, number, proto, net.external_egress(net.class_of[i], number, proto))
            )
    out.extend(_host_network(net, by_port, port, external))
    return sorted(set(out))


def _host_network(
    net: Network, by_port: dict[tuple[int, str], list[int]], port: tuple[int, str] | None, external: bool
) -> list[Connection]:
    """Connections of host-network pods. NetworkPolicy does not isolate them; to other pods they are the
    node's address, which policies match like an address outside the cluster (see ``Network.reach``)."""
    out: list[Connection] = []
    hosts = net.host_network
    if not hosts:
        return out
    names = [e.key for e in net.endpoints]
    for (number, proto), dsts in sorted(by_port.items()):
        for j in dsts:  # host-network pod -> pod: the destination's ingress from a node address
            accepts = net.external_ingress(net.class_of[j], number, proto)
            out.extend(Connection(h.key, names[j], number, proto, accepts) for h in hosts)
    for dst in hosts:
        targets = [port] if port is not None else sorted({(p.number, p.protocol) for p in dst.ports})
        for number, proto in targets:
            # pod -> host-network pod: the source's egress to a node address
            for i, name in enumerate(names):
                sends = net.external_egress(net.class_of[i], number, proto)
                out.append(Connection(name, dst.key, number, proto, sends))
            out.extend(Connection(h.key, dst.key, number, proto, True) for h in hosts)
            if external:
                out.append(Connection(EXTERNAL, dst.key, number, proto, True))
    if external:
        number, proto = port or DEFAULT_EXTERNAL_PORT
        out.extend(Connection(h.key, EXTERNAL, number, proto, True) for h in hosts)
    return out


@dataclass(frozen=True, slots=True)
class Change:
    status: str  # "opened" or "closed"
    connection: Connection
    existed_before: bool
    exists_after: bool

    def to_dict(self) -> dict[str, object]:
        c = self.connection
        return {"change": self.status, "from": c.src, "to": c.dst, "port": c.port, "protocol": c.protocol}


def diff(old: Network, new: Network, port: tuple[int, str] | None = None) -> list[Change]:
    """Connections allowed by ``new`` but not by ``old`` (opened), and the reverse (closed).

    A connection whose endpoints exist on one side only counts as denied on the other side.
    """
    before = {c.key: c.allowed for c in connections(old, port)}
    after = {c.key: c.allowed for c in connections(new, port)}
    changes = []
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key, False), after.get(key, False)
        if was != now:
            conn = Connection(*key, allowed=now)
            changes.append(Change("opened" if now else "closed", conn, key in before, key in after))
    return changes
