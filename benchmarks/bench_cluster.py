"""Live-cluster benchmark: collect and scan a 50,000-object stand-in cluster through the real client.

    python benchmarks/bench_cluster.py [--resources 50000] [--repeat 1]

The stand-in cluster is the corpus of ``bench_scan.py`` (benchmarks/.corpus-N, generated when
absent) served by the tests' fake API server (tests/cluster/fakeapi.py: real HTTPS on loopback,
paged lists, server fields added) in a process of its own. In one run it measures, each in a fresh
child process so that peak RSS is that scan's own:

(1) ``kubeguard.scan`` of the corpus files, every rule enabled;
(2) ``kubeguard.scan`` of the cluster (``--cluster``): discovery, paged lists through the official
    client, decoding and trimming, then the same rules.

It prints objects per second, wall time and peak RSS of both, and the ratio cluster / files.
Targets (issue 13): ratio <= 2, peak RSS <= 600 MB.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # the repository root: tests.cluster.fakeapi
sys.path.insert(0, HERE)

from corpus import generate  # noqa: E402

SCAN = """
import resource, sys, time
import kubeguard
from kubeguard.api import ClusterSource, LoadOptions
from kubeguard.model.config import Config
t = time.perf_counter()
if sys.argv[1] == "cluster":
    report = kubeguard.api.scan([], load_options=LoadOptions(cluster=ClusterSource(kubeconfig=sys.argv[2])), config=Config())
else:
    report = kubeguard.api.scan([sys.argv[2]], config=Config())
elapsed = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(elapsed, report.resources, peak, len(report.findings), len(report.errors))
"""


def serve(
    corpus: str,
    kubeconfig: str,
    ready: multiprocessing.synchronize.Event,
    stop: multiprocessing.synchronize.Event,
) -> None:
    """The fake API server holding the corpus, in this (child) process until ``stop``."""
    from pathlib import Path

    from tests.cluster.fakeapi import FakeApiServer, cluster_objects

    from kubeguard.api import LoadOptions, load_inputs

    objects = cluster_objects(load_inputs([corpus], LoadOptions(jobs=1)).resources)  # a daemon: no workers
    with FakeApiServer(objects) as server:
        server.write_kubeconfig(Path(kubeconfig))
        ready.set()
        stop.wait()


def child(*args: str) -> list[float]:
    out = subprocess.run([sys.executable, "-c", SCAN, *args], capture_output=True, text=True, check=True)
    return [float(x) for x in out.stdout.split()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--resources", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; the fastest counts")
    args = ap.parse_args()
    corpus = os.path.join(HERE, f".corpus-{args.resources}")
    if not os.path.isdir(corpus):
        generate(corpus, args.resources)
    with tempfile.TemporaryDirectory() as tmp:
        kubeconfig = os.path.join(tmp, "kubeconfig")
        ready, stop = multiprocessing.Event(), multiprocessing.Event()
        server = multiprocessing.Process(target=serve, args=(corpus, kubeconfig, ready, stop), daemon=True)
        server.start()
        try:
            if not ready.wait(600):
                raise SystemExit("the fake API server did not start")
            files_runs, cluster_runs = [], []
            for _ in range(args.repeat):  # interleaved, so machine noise hits both alike
                files_runs.append(child("files", corpus))
                cluster_runs.append(child("cluster", kubeconfig))
        finally:
            stop.set()
            server.join(30)
    files = min(files_runs, key=lambda r: r[0])
    cluster = min(cluster_runs, key=lambda r: r[0])
    result = {
        "resources_files": int(files[1]),
        "resources_cluster": int(cluster[1]),
        "findings_files": int(files[3]),
        "findings_cluster": int(cluster[3]),
        "errors_cluster": int(cluster[4]),
        "cores": os.cpu_count(),
        "files_scan_seconds": round(files[0], 3),
        "cluster_scan_seconds": round(cluster[0], 3),
        "cluster_objects_per_second": round(cluster[1] / cluster[0]),
        "files_objects_per_second": round(files[1] / files[0]),
        "ratio_cluster_over_files": round(cluster[0] / files[0], 3),
        "files_peak_rss_mb": round(files[2] / 1024, 1),
        "cluster_peak_rss_mb": round(cluster[2] / 1024, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
