"""Pod Security evaluation benchmark: evaluating N pods at one level against parsing them.

    python benchmarks/bench_pss.py [--pods 10000] [--level restricted] [--version latest]

Builds a YAML stream of N varied pods (compliant ones, and ones breaking baseline and restricted
controls in different ways), then in one run measures (1) parsing it with PyYAML's C loader and
(2) evaluating every parsed pod with the Pod Security engine at the given level and version, and
prints both times and the ratios (parse+evaluate)/parse and evaluate/parse. Target (issue 3):
evaluation at one level costs at most 1.2x parse; we aim for (parse+evaluate)/parse <= 1.2.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from typing import Any

import yaml

from kubeguard.analyzers.pss import evaluate_pod, parse_level, parse_version
from kubeguard.model.pointer import Pointer

SPEC = Pointer(("spec",))
META = Pointer(("metadata",))


def _pod(i: int) -> str:
    kind = i % 5
    name = f"pod-{i}"
    if kind == 0:  # restricted-compliant
        return f"""apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: team-{i % 7}
  labels: {{app: web-{i % 50}, tier: frontend}}
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {{type: RuntimeDefault}}
  containers:
    - name: app
      image: registry.example.com/web:{i % 9}.0
      ports: [{{containerPort: 8080}}]
      resources: {{requests: {{cpu: 100m, memory: 128Mi}}, limits: {{memory: 256Mi}}}}
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {{drop: [ALL]}}
      volumeMounts: [{{name: tmp, mountPath: /tmp}}]
  volumes: [{{name: tmp, emptyDir: {{}}}}]
"""
    if kind == 1:  # baseline-compliant, not restricted
        return f"""apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: team-{i % 7}
spec:
  initContainers:
    - name: init
      image: busybox:1.36
      command: [sh, -c, "echo init"]
  containers:
    - name: app
      image: nginx:1.27
      ports: [{{containerPort: 80}}]
      livenessProbe: {{httpGet: {{path: /healthz, port: 80}}}}
    - name: sidecar
      image: envoyproxy/envoy:v1.30
"""
    if kind == 2:  # privileged, host namespaces, hostPath
        return f"""apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: kube-system
spec:
  hostNetwork: true
  hostPID: true
  containers:
    - name: agent
      image: registry.example.com/agent:2.1
      securityContext:
        privileged: true
        capabilities: {{add: [SYS_ADMIN, NET_ADMIN]}}
      ports: [{{containerPort: 9100, hostPort: 9100}}]
      volumeMounts: [{{name: root, mountPath: /host}}]
  volumes: [{{name: root, hostPath: {{path: /}}}}]
"""
    if kind == 3:  # annotations, seccomp, selinux, sysctls
        return f"""apiVersion: v1
kind: Pod
metadata:
  name: {name}
  annotations:
    container.apparmor.security.beta.kubernetes.io/app: runtime/default
    prometheus.io/scrape: "true"
spec:
  securityContext:
    runAsUser: 1000
    seccompProfile: {{type: RuntimeDefault}}
    sysctls: [{{name: net.ipv4.ip_local_port_range, value: "1024 65000"}}]
    seLinuxOptions: {{level: "s0:c1,c2"}}
  containers:
    - name: app
      image: registry.example.com/api:{i % 13}
      securityContext: {{allowPrivilegeEscalation: false, capabilities: {{drop: [ALL], add: [NET_BIND_SERVICE]}}}}
"""
    return f"""apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  os: {{name: linux}}
  securityContext: {{runAsNonRoot: false}}
  containers:
    - name: a
      image: registry.example.com/a:1
      securityContext: {{runAsUser: 0, procMount: Unmasked, seccompProfile: {{type: Unconfined}}}}
    - name: b
      image: registry.example.com/b:1
  volumes:
    - {{name: cfg, configMap: {{name: cfg}}}}
    - {{name: share, nfs: {{server: nfs.example.com, path: /exports}}}}
"""


def corpus(n: int) -> str:
    return "---\n".join(_pod(i) for i in range(n))


def measure(text: str, level: str, version: str) -> tuple[float, float, float, int, int]:
    gc.collect()
    t0 = time.perf_counter()
    docs: list[dict[str, Any]] = [d for d in yaml.load_all(text, Loader=yaml.CSafeLoader) if d]
    parse = time.perf_counter() - t0
    lv, minor = parse_level(level), parse_version(version)
    gc.collect()
    t0 = time.perf_counter()
    denied = 0
    for d in docs:
        spec = d.get("spec")
        meta = d.get("metadata")
        if isinstance(spec, dict):
            results = evaluate_pod(spec, meta if isinstance(meta, dict) else {}, lv, minor, SPEC, META)
            if results:
                denied += 1
                for r in results:
                    r.message  # noqa: B018 - the admission wording is part of evaluating
    evaluate = time.perf_counter() - t0
    # The same, also locating every offending field with its own message (what scan rules report).
    gc.collect()
    t0 = time.perf_counter()
    for d in docs:
        spec = d.get("spec")
        meta = d.get("metadata")
        if isinstance(spec, dict):
            for r in evaluate_pod(spec, meta if isinstance(meta, dict) else {}, lv, minor, SPEC, META):
                r.message  # noqa: B018
                r.offences  # noqa: B018
    located = time.perf_counter() - t0
    return parse, evaluate, located, len(docs), denied


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pods", type=int, default=10_000)
    ap.add_argument("--level", default="restricted")
    ap.add_argument("--version", default="latest")
    ap.add_argument("--repeat", type=int, default=3, help="runs; the fastest parse and evaluation count")
    args = ap.parse_args(argv)
    text = corpus(args.pods)
    best_parse = best_eval = best_located = float("inf")
    pods = denied = 0
    for _ in range(args.repeat):
        parse, evaluate, located, pods, denied = measure(text, args.level, args.version)
        best_parse, best_eval = min(best_parse, parse), min(best_eval, evaluate)
        best_located = min(best_located, located)
    print(f"pods:                        {pods} ({denied} not allowed at {args.level}:{args.version})")
    print(f"parse (PyYAML C loader):     {best_parse:.3f} s")
    print(
        f"evaluate ({args.level}):{' ' * max(1, 19 - len(args.level))}{best_eval:.3f} s  ({best_eval / pods * 1e6:.1f} us/pod)"
    )
    print(f"(parse+evaluate)/parse:      {(best_parse + best_eval) / best_parse:.3f}   (target <= 1.2)")
    print(f"evaluate/parse:              {best_eval / best_parse:.3f}")
    print(
        f"with every field located:    {best_located:.3f} s  (parse+evaluate)/parse "
        f"{(best_parse + best_located) / best_parse:.3f}"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
