"""Full-scan benchmark: scan time over bare PyYAML C-loader parse time on the same corpus, and peak RSS.

    python benchmarks/bench_scan.py [--resources 50000]

Generates a corpus (benchmarks/.corpus-N, reused when present), then in one run measures
(1) reading and parsing every file with ``yaml.load_all(..., Loader=yaml.CSafeLoader)`` and
(2) ``kubeguard.scan`` over the same folder with every rule enabled, each in a fresh child process
so that peak RSS is the scan's own. Targets (issue 2): ratio <= 1.5, peak RSS <= 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from corpus import generate

PARSE = """
import glob, os, resource, sys, time, yaml
files = sorted(glob.glob(os.path.join(sys.argv[1], "*.yaml")))
t = time.perf_counter()
n = 0
for path in files:
    with open(path, "rb") as fh:
        n += sum(1 for d in yaml.load_all(fh.read().decode("utf-8"), Loader=yaml.CSafeLoader) if d)
elapsed = time.perf_counter() - t
print(elapsed, n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

SCAN = """
import resource, sys, time
import kubeguard
from kubeguard.engine.registry import all_rules
all_rules()  # rule discovery is start-up cost, not scan cost
t = time.perf_counter()
report = kubeguard.scan([sys.argv[1]], config=None)
elapsed = time.perf_counter() - t
print(elapsed, report.resources, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(report.findings), len(report.rules), len(report.errors) + len(report.rule_errors))
"""


def child(code: str, corpus: str) -> list[float]:
    out = subprocess.run([sys.executable, "-c", code, corpus], capture_output=True, text=True, check=True)
    return [float(x) for x in out.stdout.split()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--resources", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=2, help="runs of each; the fastest counts")
    args = ap.parse_args()
    corpus = os.path.join(os.path.dirname(os.path.abspath(__file__)), f".corpus-{args.resources}")
    if not os.path.isdir(corpus):
        generate(corpus, args.resources)
    parse_runs, scan_runs = [], []
    for _ in range(args.repeat):  # interleaved, so machine noise hits both alike
        parse_runs.append(child(PARSE, corpus))
        scan_runs.append(child(SCAN, corpus))
    parse = min(parse_runs, key=lambda r: r[0])
    scan = min(scan_runs, key=lambda r: r[0])
    result = {
        "resources": int(scan[1]),
        "rules": int(scan[4]),
        "findings": int(scan[3]),
        "errors": int(scan[5]),
        "parse_seconds": round(parse[0], 3),
        "scan_seconds": round(scan[0], 3),
        "ratio_scan_over_parse": round(scan[0] / parse[0], 3),
        "scan_peak_rss_mb": round(scan[2] / 1024, 1),
        "parse_peak_rss_mb": round(parse[2] / 1024, 1),
    }
    print(json.dumps(result, indent=2))
    ok = result["ratio_scan_over_parse"] <= 1.5 and result["scan_peak_rss_mb"] <= 500
    print(f"targets (ratio <= 1.5, peak RSS <= 500 MB): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
