"""Where a request came from, for the AUD rules about source addresses: the client address of an
event and address ranges from settings.

The API server lists in ``sourceIPs`` the ``X-Forwarded-For`` chain first, then ``X-Real-Ip``, then
the connection's remote address; the first entry is the client as far as the server knows.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from kubeguard.rules.audit import AuditContext

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Address ranges that are not the internet (RFC 1918, RFC 6598 shared space, loopback, link-local,
#: IPv6 unique-local, link-local and loopback): where a cluster's nodes, pods and internal load
#: balancers talk from, when ``audit.clusterCidrs`` does not say better.
PRIVATE_CIDRS = (
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "fc00::/7",
    "fe80::/10",
    "::1/128",
)


#: Parsed addresses and range answers are memoised (the answers per run, in the rules' context): a
#: log repeats a few thousand client addresses millions of times, and parsing one costs more than
#: all of a rule's other work. The caches are bounded, so a log of ever new addresses costs time,
#: not memory.
_MEMO = 8192


@lru_cache(maxsize=_MEMO)
def address(text: str) -> IPAddress | None:
    """An address (IPv4-mapped IPv6 read as IPv4); None when not an address."""
    try:
        ip = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _parse_networks(cidrs: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    out = []
    for cidr in cidrs:
        try:
            out.append(ipaddress.ip_network(cidr.strip(), strict=False))
        except ValueError:
            continue  # the schema checks the shape; an unreadable range matches nothing
    return tuple(out)


def networks(ctx: AuditContext, key: str, default: tuple[str, ...] = ()) -> tuple[IPNetwork, ...]:
    """``audit.<key>``: a list of CIDRs (replacing ``default``), parsed once per run."""
    memo = ctx.memo("networks")
    found: tuple[IPNetwork, ...] | None = memo.get(key)
    if found is None:
        value: Any = ctx.setting(key)
        items = tuple(str(v) for v in value) if isinstance(value, list) else default
        found = memo[key] = _parse_networks(items)
    return found


def in_networks(ctx: AuditContext, key: str, text: str, default: tuple[str, ...] = ()) -> bool:
    """Whether an address lies in the ranges of ``audit.<key>`` (else ``default``); the answer is
    remembered per address for the run (at most ``_MEMO`` addresses per key)."""
    memo: dict[str, bool] = ctx.memo("in:" + key)
    found = memo.get(text)
    if found is None:
        ip = address(text)
        nets = networks(ctx, key, default)
        found = ip is not None and any(ip.version == n.version and ip in n for n in nets)
        if len(memo) >= _MEMO:
            memo.clear()
        memo[text] = found
    return found


#: ``.kubeguard.yaml`` ``audit.clusterCidrs``: where the cluster's nodes, pods and internal clients
#: talk from (default: the private ranges).
CLUSTER_CIDRS = "clusterCidrs"


def outside_cluster(ctx: AuditContext, text: str) -> bool:
    """Whether an address is a real address outside ``audit.clusterCidrs`` (an unreadable or missing
    address is not judged)."""
    # remembered apart from in_networks' answer: AUD050 asks this for most events of a log
    memo: dict[str, bool] = ctx.memo("outside")
    found = memo.get(text)
    if found is None:
        found = address(text) is not None and not in_networks(ctx, CLUSTER_CIDRS, text, PRIVATE_CIDRS)
        if len(memo) >= _MEMO:
            memo.clear()
        memo[text] = found
    return found
