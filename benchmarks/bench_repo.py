"""Repository-layout benchmark: a scan of a repository laid out as real projects have it.

    python benchmarks/bench_repo.py [--apps 4] [--crds 4] [--crd-lines 20000]

Generates (in benchmarks/.repo-corpus-..., reused when present) a repository with what made real
scans slow (issue 11, item 8): large CustomResourceDefinitions in a kustomization that every
overlay includes, apps with a kustomize base and dev/staging/prod overlays each, `helm template`
output with ``# Source:`` comments, and plain manifests. Then, in one run:

(1) parse: reading and parsing every file of the repository with bare PyYAML (C loader);
(2) renderers: ``kubectl kustomize`` on every deployable root (the overlays; the CRD
    kustomization is their base), as many at a time as kubeguard runs them: the renderers' own time;
(3) the scan, ``kubeguard.scan`` over the repository root with every rule, in a child process
    (default ``--jobs``, then ``--jobs 1``), with its peak RSS.

Target (issue 11): scan <= 2 x parse + renderers, peak RSS <= 500 MB. Printed as kubeguard's own
CPU time (its process, without the renderer processes) over the parse's CPU time (target <= 2),
because on a shared machine the renderers' wall time varies more than kubeguard's whole share;
the wall-clock difference is printed too.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

PARSE = """
import glob, os, resource, sys, time, yaml
files = sorted(glob.glob(os.path.join(sys.argv[1], "**", "*.yaml"), recursive=True))
t = time.perf_counter()
n = 0
for path in files:
    with open(path, "rb") as fh:
        n += sum(1 for d in yaml.load_all(fh.read().decode("utf-8"), Loader=yaml.CSafeLoader) if d)
r = resource.getrusage(resource.RUSAGE_SELF)
print(time.perf_counter() - t, n, len(files), r.ru_utime + r.ru_stime)
"""

SCAN = """
import resource, sys, time
import kubeguard
from kubeguard.engine.registry import all_rules
from kubeguard.loading.files import LoadOptions
all_rules()
r0 = resource.getrusage(resource.RUSAGE_SELF)
t = time.perf_counter()
report = kubeguard.scan([sys.argv[1]], config=None, load_options=LoadOptions(jobs=int(sys.argv[2])))
elapsed = time.perf_counter() - t
r1 = resource.getrusage(resource.RUSAGE_SELF)
own = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)  # without child processes (renderers)
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(elapsed, report.resources, len(report.findings), sum(1 for f in report.findings if f.line is None), peak, own)
"""


def _crd(i: int, lines: int) -> str:
    head = f"""\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widget{i}s.example.io
spec:
  group: example.io
  names: {{kind: Widget{i}, listKind: Widget{i}List, plural: widget{i}s, singular: widget{i}}}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
"""
    props = []
    for p in range(max(1, lines // 6)):
        props.append(
            f"            field{p}:\n              type: object\n              description: |\n"
            f"                Field {p} of the widget; see *.example.io & the docs.\n"
            f"              properties:\n                value: {{type: string}}\n"
        )
    return head + "".join(props)


def _base(app: str) -> dict[str, str]:
    deploy = f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}
spec:
  replicas: 1
  selector:
    matchLabels: {{app: {app}}}
  template:
    metadata:
      labels: {{app: {app}}}
    spec:
      serviceAccountName: {app}
      containers:
        - name: {app}
          image: registry.example/{app}:1.0.0
          ports: [{{containerPort: 8080}}]
          securityContext:
            allowPrivilegeEscalation: false
"""
    rest = f"""\
apiVersion: v1
kind: Service
metadata:
  name: {app}
spec:
  selector: {{app: {app}}}
  ports: [{{port: 80, targetPort: 8080}}]
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {app}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {app}
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {app}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: {app}}}
subjects: [{{kind: ServiceAccount, name: {app}}}]
"""
    return {
        "deployment.yaml": deploy,
        "resources.yaml": rest,
        "kustomization.yaml": "resources: [deployment.yaml, resources.yaml]\n",
    }


def generate(root: str, apps: int, crds: int, crd_lines: int) -> None:
    os.makedirs(os.path.join(root, "deploy", "crds"))
    for i in range(crds):
        with open(os.path.join(root, "deploy", "crds", f"crd{i}.yaml"), "w") as fh:
            fh.write(_crd(i, crd_lines))
    with open(os.path.join(root, "deploy", "crds", "kustomization.yaml"), "w") as fh:
        fh.write("resources:\n" + "".join(f"  - crd{i}.yaml\n" for i in range(crds)))
    for a in range(apps):
        app = f"app{a}"
        base = os.path.join(root, "deploy", "apps", app, "base")
        os.makedirs(base)
        for name, text in _base(app).items():
            with open(os.path.join(base, name), "w") as fh:
                fh.write(text)
        for env in ("dev", "staging", "prod"):
            overlay = os.path.join(root, "deploy", "apps", app, "overlays", env)
            os.makedirs(overlay)
            with open(os.path.join(overlay, "kustomization.yaml"), "w") as fh:
                fh.write(
                    f"namespace: {env}\nnamePrefix: {env}-\nresources:\n  - ../../base\n  - ../../../../crds\n"
                    "patches:\n  - path: replicas.yaml\n"
                )
            with open(os.path.join(overlay, "replicas.yaml"), "w") as fh:
                fh.write(
                    f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {app}}}\nspec: {{replicas: 3}}\n"
                )
    # `helm template` output committed as a release bundle, and plain manifests
    os.makedirs(os.path.join(root, "release"))
    with open(os.path.join(root, "release", "bundle.yaml"), "w") as fh:
        for a in range(apps):
            for name, text in _base(f"chart{a}").items():
                if name != "kustomization.yaml":
                    for doc in text.split("---\n"):
                        fh.write(f"---\n# Source: bundle/templates/{name}\n{doc}")
    os.makedirs(os.path.join(root, "k8s"))
    for a in range(apps):
        for name, text in _base(f"plain{a}").items():
            if name != "kustomization.yaml":
                with open(os.path.join(root, "k8s", f"plain{a}-{name}"), "w") as fh:
                    fh.write(text)


def _child(code: str, *args: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    return out.stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--apps", type=int, default=4)
    parser.add_argument("--crds", type=int, default=4)
    parser.add_argument("--crd-lines", type=int, default=20000)
    args = parser.parse_args()
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        sys.exit("bench_repo needs kubectl (kubectl kustomize) on PATH")
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.join(here, f".repo-corpus-{args.apps}-{args.crds}-{args.crd_lines}")
    if not os.path.isdir(root):
        generate(root, args.apps, args.crds, args.crd_lines)
    size = sum(os.path.getsize(p) for p in glob.glob(os.path.join(root, "**", "*.yaml"), recursive=True))
    parse_s, parse_docs, files, parse_cpu = (float(x) for x in _child(PARSE, root))
    roots = sorted(glob.glob(os.path.join(root, "deploy", "apps", "*", "overlays", "*")))
    workers = max(2, os.cpu_count() or 1)
    render_s: dict[str, float] = {}
    for jobs, at_once in (("0", workers), ("1", 1)):  # --jobs 1 renders one at a time too
        t = time.perf_counter()
        with ThreadPoolExecutor(max_workers=at_once) as pool:
            list(
                pool.map(
                    lambda d: subprocess.run([kubectl, "kustomize", d], capture_output=True, check=True),
                    roots,
                )
            )
        render_s[jobs] = time.perf_counter() - t
    print(
        f"repository: {int(files)} files, {size / 1048576:.1f} MiB, {args.crds} CRDs of ~{args.crd_lines} lines, "
        f"{len(roots)} overlays (each including the CRDs), helm output, plain manifests"
    )
    print(f"parse (bare PyYAML C loader, every file): {parse_s:.2f} s ({int(parse_docs)} documents)")
    print(
        f"renderers (kubectl kustomize x {len(roots)}): {render_s['0']:.2f} s {workers} at a time, "
        f"{render_s['1']:.2f} s one at a time"
    )
    for jobs in ("0", "1"):
        scan_s, resources, findings, no_line, peak, own = _child(SCAN, root, jobs)
        s = float(scan_s)
        print(
            f"scan --jobs {jobs}: {s:.2f} s, {resources} resources, {findings} findings "
            f"({no_line} without a line), peak RSS {int(peak) / 1024:.0f} MB"
        )
        print(
            f"  kubeguard's own CPU (renderers excluded) / parse CPU = {float(own) / parse_cpu:.2f} (target <= 2); "
            f"(scan wall - renderers wall) / parse wall = {(s - render_s[jobs]) / parse_s:.2f}"
        )


if __name__ == "__main__":
    main()
