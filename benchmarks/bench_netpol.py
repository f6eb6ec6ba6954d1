"""NetworkPolicy reachability benchmark: the full pod-by-pod matrix for N pods and P policies.

    python benchmarks/bench_netpol.py [--pods 1000] [--policies 300] [--namespaces 20] [--seed 7] [--unique]

Builds N Pods (namespaces x apps x replicas, with tiers, versions and named container ports) and
P NetworkPolicies (namespace default-deny, allow rules by pod labels, matchExpressions, namespace
selectors, both-selector peers, ipBlocks with except, named ports, port ranges) as parsed objects,
then in one run measures:

1. building the engine (policy parsing and validation, equivalence classes, selector masks);
2. the full N x N verdict matrix on one port (8080/TCP): every (source pod, destination pod) pair;
3. the full matrix on every distinct port the pods expose.

and prints pod-pair verdicts per second for each, counting the engine build in. Target (issue 6):
at least 1,000,000 pod-pair verdicts per second for 1,000 pods and 300 policies.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from typing import Any

from kubeguard.analyzers.netpol.engine import Network
from kubeguard.model.resource import Resource, SourceLocation

TIERS = ("web", "api", "db", "cache", "worker")
PORTS = {
    "web": [("http", 8080, "TCP")],
    "api": [("http", 8080, "TCP"), ("grpc", 9090, "TCP")],
    "db": [("pg", 5432, "TCP"), ("metrics", 9187, "TCP")],
    "cache": [("redis", 6379, "TCP")],
    "worker": [("metrics", 9100, "TCP"), ("statsd", 8125, "UDP")],
}


def _resource(raw: dict[str, Any], i: int) -> Resource:
    return Resource(raw, SourceLocation("<bench>", i))


def build_inputs(
    pods: int, policies: int, namespaces: int, seed: int, unique: bool = False
) -> list[Resource]:
    rng = random.Random(seed)
    out: list[Resource] = []
    ns_names = [f"team-{n}" for n in range(namespaces)]
    for n, ns in enumerate(ns_names):
        labels = {"env": "prod" if n % 3 else "dev", "team": f"t{n % 5}"}
        out.append(
            _resource(
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns, "labels": labels}},
                len(out),
            )
        )
    apps_per_ns = max(1, pods // (namespaces * 5))
    i = 0
    while i < pods:
        ns = ns_names[(i // (apps_per_ns * 5)) % namespaces]
        app_index = (i // 5) % apps_per_ns
        tier = TIERS[app_index % len(TIERS)]
        labels = {"app": f"app-{app_index}", "tier": tier, "version": f"v{app_index % 3}"}
        if app_index % 4 == 0:
            labels["pci"] = "true"
        if unique:  # worst case for equivalence classes: every pod its own class
            labels["pod-name"] = f"pod-{i}"
        ports = [{"name": pn, "containerPort": num, "protocol": proto} for pn, num, proto in PORTS[tier]]
        raw = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": f"pod-{i}", "namespace": ns, "labels": labels},
            "spec": {"containers": [{"name": "c", "image": "registry.example.com/app:1", "ports": ports}]},
        }
        out.append(_resource(raw, len(out)))
        i += 1

    def pod_selector() -> dict[str, Any]:
        r = rng.random()
        if r < 0.5:
            return {"matchLabels": {"app": f"app-{rng.randrange(apps_per_ns)}"}}
        if r < 0.75:
            return {"matchLabels": {"tier": rng.choice(TIERS)}}
        if r < 0.9:
            return {"matchExpressions": [{"key": "tier", "operator": "In", "values": rng.sample(TIERS, 2)}]}
        return {"matchExpressions": [{"key": "pci", "operator": rng.choice(["Exists", "DoesNotExist"])}]}

    def peer() -> dict[str, Any]:
        r = rng.random()
        if r < 0.45:
            return {"podSelector": pod_selector()}
        if r < 0.65:
            return {
                "namespaceSelector": {"matchLabels": {"team": f"t{rng.randrange(5)}"}},
                "podSelector": pod_selector(),
            }
        if r < 0.8:
            return {
                "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": rng.choice(ns_names)}}
            }
        if r < 0.9:
            return {
                "namespaceSelector": {
                    "matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["dev"]}]
                }
            }
        return {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.96.0.0/12"]}}

    def ports() -> list[dict[str, Any]]:
        return rng.choice(
            [
                [{"port": "http"}],
                [{"port": 5432}],
                [{"port": "metrics"}, {"port": 8125, "protocol": "UDP"}],
                [{"port": 8000, "endPort": 9999}],
                [{"port": 6379}, {"port": "grpc"}],
            ]
        )

    for p in range(policies):
        ns = ns_names[p % namespaces]
        if p < namespaces:
            spec: dict[str, Any] = {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
        else:
            spec = {"podSelector": pod_selector()}
            spec["ingress"] = [{"from": [peer() for _ in range(rng.randint(1, 3))], "ports": ports()}]
            if rng.random() < 0.5:
                spec["egress"] = [{"to": [peer() for _ in range(rng.randint(1, 2))], "ports": ports()}]
                spec["policyTypes"] = ["Ingress", "Egress"]
        raw = {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": f"policy-{p}", "namespace": ns},
            "spec": spec,
        }
        out.append(_resource(raw, len(out)))
    return out


def run(
    pods: int, policies: int, namespaces: int, seed: int, out: Any = sys.stdout, unique: bool = False
) -> dict[str, float]:
    inputs = build_inputs(pods, policies, namespaces, seed, unique)
    t0 = time.perf_counter()
    net = Network.from_resources(inputs)
    t_build = time.perf_counter() - t0
    n = len(net.endpoints)
    assert n == pods and len(net.policies) == policies, (
        n,
        len(net.policies),
        [p.errors for p in net.invalid][:3],
    )

    t0 = time.perf_counter()
    matrix = net.pod_matrix(8080, "TCP")
    t_one = time.perf_counter() - t0
    allowed_one = sum(row.count(1) for row in matrix)

    distinct = sorted({(p.number, p.protocol) for e in net.endpoints for p in e.ports})
    t0 = time.perf_counter()
    allowed_all = 0
    for number, proto in distinct:
        allowed_all += sum(row.count(1) for row in net.pod_matrix(number, proto))
    t_all = time.perf_counter() - t0

    pairs = n * n
    one_rate = pairs / (t_build + t_one)
    all_rate = pairs * len(distinct) / (t_build + t_one + t_all)
    print(
        f"pods: {n}  policies: {len(net.policies)}  namespaces: {namespaces}  classes: {len(net.classes)}",
        file=out,
    )
    print(f"engine build (parse policies, classes, selector masks): {t_build * 1000:.1f} ms", file=out)
    print(
        f"matrix on 8080/TCP: {pairs:,} pod pairs in {t_one * 1000:.1f} ms "
        f"({allowed_one:,} allowed); with build: {one_rate:,.0f} pod-pair verdicts/s",
        file=out,
    )
    print(
        f"matrix on all {len(distinct)} exposed ports: {pairs * len(distinct):,} verdicts in "
        f"{(t_one + t_all) * 1000:.1f} ms ({allowed_all:,} allowed); with build: {all_rate:,.0f} pod-pair verdicts/s",
        file=out,
    )
    target = 1_000_000
    print(
        f"target >= {target:,} verdicts/s: {'met' if min(one_rate, all_rate) >= target else 'NOT met'}",
        file=out,
    )
    return {"build": t_build, "one": t_one, "all": t_all, "one_rate": one_rate, "all_rate": all_rate}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pods", type=int, default=1000)
    ap.add_argument("--policies", type=int, default=300)
    ap.add_argument("--namespaces", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--unique", action="store_true", help="Give every pod a unique label (one class per pod)."
    )
    args = ap.parse_args(argv)
    run(args.pods, args.policies, args.namespaces, args.seed, unique=args.unique)


if __name__ == "__main__":
    main()
