"""``kubeguard netpol``: NetworkPolicy reachability from manifests: reach, matrix, diff, generate."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
import yaml

from kubeguard.analyzers.netpol.engine import (
    EXTERNAL,
    HOST_NETWORK_NOTE,
    IPBLOCK_POD_MODES,
    Network,
    PodAddressing,
    RuleRef,
    Verdict,
)
from kubeguard.analyzers.netpol.generate import default_deny, quarantine
from kubeguard.analyzers.netpol.matrix import connections, diff
from kubeguard.analyzers.netpol.thirdparty import third_party_policies
from kubeguard.api import merged_views, network
from kubeguard.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    Inputs,
    answer_code,
    fail_usage,
    format_option,
    input_options,
    note,
    output_option,
    screen_for,
    write_output,
)
from kubeguard.loading.cluster.source import NETWORK_KINDS
from kubeguard.loading.config import ConfigError, find_config, load_config
from kubeguard.loading.files import LoadResult
from kubeguard.loading.locate import Locator
from kubeguard.model.network import PROTOCOLS, IPAddress, PodEndpoint, parse_ip
from kubeguard.reporters import netpol_table
from kubeguard.reporters.layout import clean

F = TypeVar("F", bound=Callable[..., Any])

EPILOG = """\b
Examples:
  kubeguard netpol reach k8s/ --from shop/web --to shop/db --port 5432
  kubeguard netpol reach k8s/ --from shop/web --to 169.254.169.254 --port 80
  kubeguard netpol matrix k8s/ --format json -o matrix.json
  kubeguard netpol matrix k8s/ --port 8080/TCP
  kubeguard netpol matrix k8s/ --pod-cidr 10.244.0.0/16 --ipblock-pods ignore
  kubeguard netpol diff old/ new/
  kubeguard netpol generate default-deny --namespace shop
  kubeguard netpol generate quarantine shop/web-7d9f k8s/
"""


def _addressing(ipblock_pods: str | None, pod_cidrs: Sequence[str]) -> PodAddressing:
    """--ipblock-pods and --pod-cidr, else the ``network`` section of ./.kubeguard.yaml."""
    try:
        found = find_config()
        section = load_config(found).section("network") if found else {}
        return PodAddressing.of(section, ipblock_pods, pod_cidrs)
    except (ConfigError, ValueError) as exc:
        fail_usage(str(exc))
        raise  # unreachable: fail_usage exits


def _addressing_options(f: F) -> F:
    f = click.option(
        "--pod-cidr",
        "pod_cidrs",
        multiple=True,
        metavar="CIDR",
        help="A pod CIDR of the cluster (repeatable; default: all of IPv4 and IPv6). "
        "An ipBlock covering one matches pods.",
    )(f)
    return click.option(
        "--ipblock-pods",
        type=click.Choice(IPBLOCK_POD_MODES),
        default=None,
        help="match (default): an ipBlock covering a pod CIDR matches pods, as the upstream e2e tests "
        "expect; ignore: ipBlocks never match pods (Cilium's default). Config: network.ipBlockPods.",
    )(f)


def _network(
    paths: Sequence[str], inputs: Inputs, addressing: PodAddressing | None = None
) -> tuple[Network, LoadResult]:
    loaded = inputs.needing(NETWORK_KINDS).read(paths, what="analyse")
    if (mixed := merged_views(loaded)) is not None:
        note(f"warning: {mixed}")
    resources = loaded.resources
    net = network(loaded, addressing=addressing)
    for p in net.invalid:
        note(
            f"warning: NetworkPolicy {p.key} ({p.resource.source.file}) would be rejected by the API server "
            f"and is ignored: {'; '.join(p.errors)}"
        )
    others = sorted({p.key for p in third_party_policies(resources)})
    if others:
        named = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        note(
            f"warning: {named} not evaluated: verdicts follow Kubernetes NetworkPolicies only, "
            "and the CNI enforces these policies as well"
        )
    return net, loaded


def parse_port(text: str) -> tuple[int, str]:
    """``8080`` or ``53/UDP`` -> (number, protocol)."""
    number, _, proto = text.partition("/")
    proto = (proto or "TCP").upper()
    if proto not in PROTOCOLS:
        raise click.BadParameter(f"protocol must be one of {', '.join(PROTOCOLS)}, not {proto!r}")
    if not number.isdigit() or not 1 <= int(number) <= 65535:
        raise click.BadParameter(f"port must be a number from 1 to 65535, not {number!r}")
    return int(number), proto


def _port_option(value: str | None) -> tuple[int, str] | None:
    return None if value is None else parse_port(value)


def _endpoint(net: Network, text: str, which: str) -> PodEndpoint | IPAddress:
    ip = parse_ip(text)
    if ip is not None:
        return ip
    ns, sep, name = text.partition("/")
    if not sep:
        ns, name = "default", text
    found = net.find(ns, name)
    if found:
        return found[0]
    host = [e for e in net.host_network if e.namespace == ns and e.name == name]
    if host:
        return host[0]  # the verdict says why NetworkPolicy does not apply to it
    owner = net.find_owner(ns, name)
    if owner is None:
        fail_usage(f"--{which} {text}: no Pod or workload named {name!r} in namespace {ns!r} in the input")
    assert owner is not None
    note(f"note: --{which} {text}: taken as a pod of {owner.kind} {owner.key}")
    return owner


def _name(e: PodEndpoint | IPAddress | str) -> str:
    return e.key if isinstance(e, PodEndpoint) else str(e)


def _verdict_json(v: Verdict, src: str, dst: str, port: int, proto: str) -> dict[str, Any]:
    def side(s: Any) -> dict[str, Any]:
        return {
            "isolated": s.isolated,
            "allowed": s.allowed,
            "allowedBy": [
                {"policy": r.policy, "rule": f"{r.direction}[{r.index}]", "pointer": str(r.pointer)}
                for r in s.allowing
            ],
            "isolatedBy": [r.policy for r in s.isolating],
        }

    out = {
        "from": src,
        "to": dst,
        "port": port,
        "protocol": proto,
        "allowed": v.allowed,
        "egress": side(v.egress),
        "ingress": side(v.ingress),
    }
    if v.note:
        out["note"] = v.note
    return out


@click.group("netpol", epilog=EPILOG)
def netpol_group() -> None:
    """NetworkPolicy reachability from manifests, with networking.k8s.io/v1 semantics.

    Pods come from Pod objects and from workload templates (a Deployment stands for its pods);
    namespaces match by their labels, including kubernetes.io/metadata.name.
    """


@netpol_group.command("reach", epilog=EPILOG)
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option(
    "--from", "src", required=True, metavar="NS/POD|IP", help="Source: a Pod or workload (NS/NAME) or an IP."
)
@click.option(
    "--to", "dst", required=True, metavar="NS/POD|IP", help="Destination: a Pod or workload, or an IP."
)
@click.option(
    "--port", "port", required=True, metavar="N[/PROTO]", help="Destination port, e.g. 5432 or 53/UDP."
)
@format_option(["table", "json"], "table", aliases={"text": "table"})
@output_option
@_addressing_options
@input_options
def reach_command(
    paths: tuple[str, ...],
    src: str,
    dst: str,
    port: str,
    fmt: str,
    output: str | None,
    ipblock_pods: str | None,
    pod_cidrs: tuple[str, ...],
    inputs: Inputs,
) -> None:
    """Can SOURCE connect to DESTINATION on PORT? Exit 0 when allowed, 1 when denied, 2 on usage errors
    or nothing read, 3 when allowed but some input could not be read."""
    number, proto = parse_port(port)
    net, loaded = _network(paths, inputs, _addressing(ipblock_pods, pod_cidrs))
    a, b = _endpoint(net, src, "from"), _endpoint(net, dst, "to")
    v = net.reach(a, b, number, proto)
    if fmt == "json":
        text = json.dumps(_verdict_json(v, _name(a), _name(b), number, proto), indent=2) + "\n"
    else:
        locator = Locator(loaded.texts)

        def line_of(ref: RuleRef) -> int | None:
            return locator.locate(ref.resource.source, ref.pointer)[0] if ref.resource else None

        text = netpol_table.reach(v, _name(a), _name(b), number, proto, screen_for(output), line_of)
    write_output(text, output)
    sys.exit(answer_code(EXIT_OK if v.allowed else EXIT_FINDINGS, loaded))


@netpol_group.command("matrix", epilog=EPILOG)
@click.argument("paths", nargs=-1, metavar="PATH...")
@format_option(["table", "json"], "table")
@output_option
@click.option(
    "--port",
    "port",
    default=None,
    metavar="N/PROTO",
    help="Evaluate this port for every destination instead of each destination's container ports.",
)
@click.option("--no-external", is_flag=True, help=f"Leave out {EXTERNAL} (addresses outside the cluster).")
@_addressing_options
@input_options
def matrix_command(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    port: str | None,
    no_external: bool,
    ipblock_pods: str | None,
    pod_cidrs: tuple[str, ...],
    inputs: Inputs,
) -> None:
    """Pod-to-pod reachability for every port each destination exposes (or --port), plus ingress from
    and egress to addresses outside the cluster (<external>; egress on --port, else 443/TCP)."""
    wanted = _port_option(port)
    net, loaded = _network(paths, inputs, _addressing(ipblock_pods, pod_cidrs))
    rows = connections(net, wanted, external=not no_external)
    if fmt == "json":
        text = json.dumps([c.to_dict() for c in rows], indent=2) + "\n"
    elif not rows:
        text = "no pods with container ports in the input (give --port to try one)\n"
    else:
        hosts = sorted(e.key for e in net.host_network)
        note_text = HOST_NETWORK_NOTE.format(pods=", ".join(hosts)) if hosts else ""
        text = netpol_table.matrix(rows, screen_for(output), note=note_text)
    write_output(text, output)
    sys.exit(answer_code(EXIT_OK, loaded))


@netpol_group.command("diff", epilog=EPILOG)
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@format_option(["table", "json"], "table")
@output_option
@click.option("--port", "port", default=None, metavar="N/PROTO", help="Compare on this port only.")
@click.option("--fail-on-open", is_flag=True, help="Exit 1 when the change opens any connection.")
@_addressing_options
@input_options
def diff_command(
    old: str,
    new: str,
    fmt: str,
    output: str | None,
    port: str | None,
    fail_on_open: bool,
    ipblock_pods: str | None,
    pod_cidrs: tuple[str, ...],
    inputs: Inputs,
) -> None:
    """The connections NEW opens and closes compared with OLD (each a file or a directory).
    Exit 1 with --fail-on-open when a connection opens, 2 on usage errors or when OLD or NEW holds
    nothing, 3 when some input could not be read (and no connection opened)."""
    wanted = _port_option(port)
    how = _addressing(ipblock_pods, pod_cidrs)
    (before, old_loaded), (after, new_loaded) = _network([old], inputs, how), _network([new], inputs, how)
    changes = diff(before, after, wanted)
    if fmt == "json":
        text = json.dumps([c.to_dict() for c in changes], indent=2) + "\n"
    else:
        text = netpol_table.changes(changes, screen_for(output))
    write_output(text, output)
    code = EXIT_FINDINGS if fail_on_open and any(c.status == "opened" for c in changes) else EXIT_OK
    sys.exit(answer_code(code, [old_loaded, new_loaded]))


@netpol_group.group("generate", epilog=EPILOG)
def generate_group() -> None:
    """Write NetworkPolicies: namespace default deny, or quarantine of a compromised pod."""


def _dump(objects: Sequence[dict[str, Any]], header: Sequence[str] = ()) -> str:
    text = "".join(f"# {clean(line)}\n" for line in header)
    return text + "---\n".join(yaml.safe_dump(o, sort_keys=False) for o in objects)


@generate_group.command("default-deny", epilog=EPILOG)
@click.argument("paths", nargs=-1, metavar="[PATH...]")
@click.option(
    "--namespace",
    "-n",
    "namespaces",
    multiple=True,
    metavar="NS",
    help="Namespace to write policies for (repeatable). Default: every namespace in PATH..., else 'default'.",
)
@click.option(
    "--no-dns", is_flag=True, help="Do not add the policy allowing DNS to kube-dns (53/UDP and 53/TCP)."
)
@output_option
@input_options
def default_deny_command(
    paths: tuple[str, ...], namespaces: tuple[str, ...], no_dns: bool, output: str | None, inputs: Inputs
) -> None:
    """Deny all ingress and egress in a namespace, allowing only DNS egress to kube-dns."""
    names = list(namespaces)
    if not names and paths:
        names = sorted(network(inputs.read(paths, what="take namespaces from")).namespace_labels)
    if not names:
        names = ["default"]
    objects = [p for ns in names for p in default_deny(ns, dns=not no_dns)]
    write_output(_dump(objects), output)


@generate_group.command("quarantine", epilog=EPILOG)
@click.argument("target", metavar="NS/POD")
@click.argument("paths", nargs=-1, metavar="[PATH...]")
@output_option
@input_options
def quarantine_command(target: str, paths: tuple[str, ...], output: str | None, inputs: Inputs) -> None:
    """Isolate a compromised pod (incident response): a deny-all policy for the label
    kubeguard.io/quarantine=true and the kubectl label command that moves the pod under it.

    With PATH... the pod (a Pod or workload name) is looked up: the command also removes its
    labels so no other policy keeps allowing traffic to it, and remaining gaps are reported.
    """
    ns, sep, name = target.partition("/")
    if not sep or not ns or not name:
        fail_usage(f"quarantine target must be NS/POD, not {target!r}")
    endpoint = None
    policies = None
    if paths:
        net, _ = _network(paths, inputs)
        found = net.find(ns, name)
        endpoint = found[0] if found else net.find_owner(ns, name)
        if endpoint is None:
            fail_usage(f"no Pod or workload named {name!r} in namespace {ns!r} in the input")
        policies = net.policies
    q = quarantine(ns, name, endpoint, policies)
    header = [f"Quarantine {ns}/{name}: apply this policy, then move the pod under it:"]
    header += [f"  {c}" for c in q.commands]
    header += [f"WARNING: {w}" for w in q.warnings]
    write_output(_dump([q.policy], header), output)


COMMAND = netpol_group

__all__ = ["COMMAND", "EXIT_USAGE"]
