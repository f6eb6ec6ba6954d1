"""RBAC benchmark: load 20,000 roles and bindings, answer who-can, build the escalation graph.

    python benchmarks/bench_rbac.py [--objects 20000] [--namespaces 200] [--queries 50] [--seed 5]

Generates ``--objects`` RBAC objects (half roles, half bindings; 10% cluster-scoped) as one
multi-document YAML file: Roles with 1-4 rules drawn from realistic and risky permissions
(wildcards, secrets, pods/exec, serviceaccounts/token, bind ...), RoleBindings to those Roles and to
built-in ClusterRoles (view, edit, admin) and ClusterRoleBindings, for users, groups and service
accounts (some with the namespace left to default), and a few aggregated ClusterRoles. Then, in one
run, it measures and prints:

1. loading: reading and decoding the YAML with kubeguard's loader, then building the RBAC graph
   (parsing, aggregation, indexes, built-in policy included);
2. who-can latency over ``--queries`` requests (namespaced, cluster-wide, any-namespace,
   subresources, named, non-resource URLs): median and worst;
3. building the escalation graph (capabilities of every role, edges of every identity, the
   distances to cluster-admin) and the number of identities with a path.

Targets (issue 5): who-can well under a second after loading; escalation graph in a few seconds.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from typing import Any

import yaml

from kubeguard.analyzers.rbac.escalation import EscalationGraph
from kubeguard.analyzers.rbac.graph import RbacGraph
from kubeguard.analyzers.rbac.requests import resource_request, url_request
from kubeguard.loading.files import LoadOptions, load

RBAC = "rbac.authorization.k8s.io/v1"
RULES: list[dict[str, Any]] = [
    {"apiGroups": [""], "resources": ["pods", "services", "configmaps"], "verbs": ["get", "list", "watch"]},
    {
        "apiGroups": ["apps"],
        "resources": ["deployments", "statefulsets"],
        "verbs": ["get", "list", "create", "patch"],
    },
    {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"]},
    {"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["tls", "db"], "verbs": ["get"]},
    {"apiGroups": [""], "resources": ["pods/exec", "pods/log"], "verbs": ["create", "get"]},
    {"apiGroups": [""], "resources": ["serviceaccounts/token"], "verbs": ["create"]},
    {"apiGroups": ["batch"], "resources": ["jobs", "cronjobs"], "verbs": ["*"]},
    {"apiGroups": ["*"], "resources": ["*/scale"], "verbs": ["get", "update"]},
    {"apiGroups": [""], "resources": ["*"], "verbs": ["get", "list"]},
    {"apiGroups": ["example.com"], "resources": ["widgets", "widgets/status"], "verbs": ["get", "update"]},
    {"apiGroups": ["coordination.k8s.io"], "resources": ["leases"], "verbs": ["get", "update", "create"]},
    {
        "apiGroups": ["rbac.authorization.k8s.io"],
        "resources": ["roles"],
        "verbs": ["bind", "escalate", "update"],
    },
    {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["rolebindings"], "verbs": ["create"]},
]
CLUSTER_RULES: list[dict[str, Any]] = [
    {"apiGroups": [""], "resources": ["nodes"], "verbs": ["get", "list", "watch"]},
    {"apiGroups": [""], "resources": ["nodes/proxy"], "verbs": ["get"]},
    {"apiGroups": [""], "resources": ["users", "groups"], "verbs": ["impersonate"]},
    {
        "apiGroups": ["certificates.k8s.io"],
        "resources": ["certificatesigningrequests/approval"],
        "verbs": ["update"],
    },
    {"nonResourceURLs": ["/metrics", "/healthz/*"], "verbs": ["get"]},
    {"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]},
]


def generate(objects: int, namespaces: int, rng: random.Random) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    half = objects // 2
    n_cluster = max(1, half // 10)
    n_ns_roles = half - n_cluster
    cluster_roles = []
    for i in range(n_cluster):
        name = f"cr-{i}"
        cluster_roles.append(name)
        doc: dict[str, Any] = {"apiVersion": RBAC, "kind": "ClusterRole", "metadata": {"name": name}}
        if i % 200 == 0:
            doc["aggregationRule"] = {
                "clusterRoleSelectors": [{"matchLabels": {"bench/aggregate": str(i % 3)}}]
            }
        else:
            doc["metadata"]["labels"] = {"bench/aggregate": str(i % 3)}
            pool = CLUSTER_RULES[:-1] if i % 97 else CLUSTER_RULES
            doc["rules"] = rng.sample(RULES, rng.randint(1, 2)) + rng.sample(pool, 1)
        docs.append(doc)
    roles_by_ns: dict[str, list[str]] = {}
    for i in range(n_ns_roles):
        ns = f"ns-{i % namespaces}"
        name = f"role-{i}"
        roles_by_ns.setdefault(ns, []).append(name)
        docs.append(
            {
                "apiVersion": RBAC,
                "kind": "Role",
                "metadata": {"name": name, "namespace": ns},
                "rules": rng.sample(RULES, rng.randint(1, 4)),
            }
        )

    def subjects(ns: str | None) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(("User", "Group", "ServiceAccount", "ServiceAccount"))
            if kind == "ServiceAccount":
                sa_ns = ns if ns and rng.random() < 0.8 else f"ns-{rng.randrange(namespaces)}"
                s: dict[str, Any] = {"kind": kind, "name": f"sa-{rng.randrange(20)}"}
                if not ns or rng.random() < 0.5 or sa_ns != ns:
                    s["namespace"] = sa_ns
                out.append(s)
            else:
                prefix = "user" if kind == "User" else "group"
                out.append(
                    {
                        "kind": kind,
                        "name": f"{prefix}-{rng.randrange(500)}",
                        "apiGroup": "rbac.authorization.k8s.io",
                    }
                )
        return out

    n_bindings = objects - half
    n_crb = max(1, n_bindings // 10)
    for i in range(n_crb):
        role = (
            rng.choice(cluster_roles) if rng.random() < 0.9 else rng.choice(("view", "edit", "missing-role"))
        )
        docs.append(
            {
                "apiVersion": RBAC,
                "kind": "ClusterRoleBinding",
                "metadata": {"name": f"crb-{i}"},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
                "subjects": subjects(None),
            }
        )
    for i in range(n_bindings - n_crb):
        ns = f"ns-{i % namespaces}"
        r = rng.random()
        if r < 0.7 and roles_by_ns.get(ns):
            ref = {"kind": "Role", "name": rng.choice(roles_by_ns[ns])}
        elif r < 0.9:
            ref = {"kind": "ClusterRole", "name": rng.choice(("view", "edit", "admin"))}
        else:
            ref = {"kind": "ClusterRole", "name": rng.choice(cluster_roles)}
        docs.append(
            {
                "apiVersion": RBAC,
                "kind": "RoleBinding",
                "metadata": {"name": f"rb-{i}", "namespace": ns},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", **ref},
                "subjects": subjects(ns),
            }
        )
    return docs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--objects", type=int, default=20000, help="roles + bindings to generate")
    ap.add_argument("--namespaces", type=int, default=200)
    ap.add_argument("--queries", type=int, default=50, help="who-can requests to time")
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    docs = generate(args.objects, args.namespaces, rng)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "rbac.yaml")
        with open(path, "w", encoding="utf-8") as fh:
            yaml.safe_dump_all(docs, fh, sort_keys=False)
        t0 = time.perf_counter()
        loaded = load([path], LoadOptions())
        t1 = time.perf_counter()
    assert not loaded.errors, loaded.errors
    graph = RbacGraph.build(loaded.resources, builtin=True)
    t2 = time.perf_counter()
    print(
        f"objects: {len(loaded.resources)} ({len(graph.roles)} roles, {len(graph.bindings)} bindings "
        f"with built-ins)"
    )
    print(f"load: YAML read+decode {t1 - t0:.2f}s, RBAC graph build {t2 - t1:.2f}s")

    requests: list[Any] = []
    shapes = [
        ("get", "secrets", {"namespace": "ns-1"}),
        ("list", "secrets", {}),
        ("create", "pods/exec", {"all_namespaces": True}),
        ("create", "deployments", {"namespace": "ns-7"}),
        ("update", "deployments/scale", {"namespace": "ns-9"}),
        ("get", "secrets", {"namespace": "ns-3", "name": "tls"}),
        ("impersonate", "users", {}),
        ("get", "widgets.example.com", {"namespace": "ns-11"}),
        ("create", "serviceaccounts/token", {"all_namespaces": True}),
    ]
    for i in range(args.queries):
        verb, res, kw = shapes[i % len(shapes)]
        if "namespace" in kw:
            kw = {**kw, "namespace": f"ns-{rng.randrange(args.namespaces)}"}
        requests.append(resource_request(verb, res, **kw))
    requests.append(url_request("get", "/metrics"))
    timings = []
    answers = 0
    for req in requests:
        q0 = time.perf_counter()
        grants = graph.who_can_url(req) if hasattr(req, "path") else graph.who_can(req)
        timings.append(time.perf_counter() - q0)
        answers += len(grants)
    print(
        f"who-can: {len(requests)} queries, median {statistics.median(timings) * 1000:.1f} ms, "
        f"worst {max(timings) * 1000:.1f} ms ({answers} grants in all)"
    )

    e0 = time.perf_counter()
    esc = EscalationGraph(graph)
    e1 = time.perf_counter()
    n_edges = sum(len(v) for v in esc.edges.values())
    reaching = sum(1 for label in esc.identities if label in esc.dist)
    print(
        f"escalation graph: {e1 - e0:.2f}s ({len(esc.identities)} identities, {n_edges} edges, "
        f"{reaching} identities with a path to cluster-admin)"
    )
    p0 = time.perf_counter()
    paths = esc.all_paths(limit=1)
    p1 = time.perf_counter()
    print(f"paths: shortest path of every identity in {p1 - p0:.2f}s ({len(paths)} paths)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
