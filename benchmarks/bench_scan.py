"""Full-scan benchmark: scan time over bare PyYAML C-loader parse time on the same corpus, and peak RSS.

    python benchmarks/bench_scan.py [--resources 50000]

Generates a corpus (benchmarks/.corpus-N, reused when present), then in one run measures
(1) reading and parsing every file with ``yaml.load_all(..., Loader=yaml.CSafeLoader)`` and
(2) ``kubeguard.scan`` over the same folder with every rule enabled, each in a fresh child process
so that peak RSS is the scan's own. Targets (issue 2): ratio <= 1.5, peak RSS <= 500 MB.
(3) rendering the scan's report as a table for people, as plain lines (output not a terminal) and for a
120-column colour terminal, and as JSON, each over the scan time. Target (issue 11): the table
costs <= 10% of the scan.
(4) with ``--jobs 1,2,0``: the same scan decoding in one process, in N worker processes, and with the
automatic choice (0, which it names), so that the automatic threshold rests on measurements.
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
c0 = resource.getrusage(resource.RUSAGE_SELF)
files = sorted(glob.glob(os.path.join(sys.argv[1], "*.yaml")))
t = time.perf_counter()
n = 0
for path in files:
    with open(path, "rb") as fh:
        n += sum(1 for d in yaml.load_all(fh.read().decode("utf-8"), Loader=yaml.CSafeLoader) if d)
elapsed = time.perf_counter() - t
c1 = resource.getrusage(resource.RUSAGE_SELF)
cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
print(elapsed, n, c1.ru_maxrss, cpu)
"""

SCAN = """
import resource, sys, time
import kubeguard
from kubeguard.engine.registry import all_rules
from kubeguard.loading.files import LoadOptions, _file_size, _jobs_for, discover
all_rules()  # rule discovery is start-up cost, not scan cost
def cpu():
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime
c0 = cpu()
t = time.perf_counter()
report = kubeguard.scan([sys.argv[1]], config=None, load_options=LoadOptions(jobs=int(sys.argv[2])))
elapsed = time.perf_counter() - t
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
scan_cpu = cpu() - c0
from kubeguard.reporters import render
from kubeguard.reporters.layout import Screen
renders = []
for fmt, screen in (("table", None), ("table", Screen(width=120, color=True)), ("json", None)):
    t, c = time.perf_counter(), cpu()
    render(report, fmt, screen=screen)
    renders += [time.perf_counter() - t, cpu() - c]
options = LoadOptions(jobs=int(sys.argv[2]))
files = [s for s in discover([sys.argv[1]], options) if s.kind == "file"]
workers = _jobs_for(files, [_file_size(f) for f in files], options)
print(elapsed, report.resources, peak, len(report.findings), len(report.rules), len(report.errors) + len(report.rule_errors), scan_cpu, *renders, workers)
"""


def child(code: str, *args: str) -> list[float]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return [float(x) for x in out.stdout.split()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--resources", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=2, help="runs of each; the fastest counts")
    ap.add_argument(
        "--jobs",
        default="",
        metavar="N,N,...",
        help="also compare scans with these --jobs values (0 = automatic), e.g. 1,2,0",
    )
    args = ap.parse_args()
    compare = [int(j) for j in args.jobs.split(",") if j.strip()]
    corpus = os.path.join(os.path.dirname(os.path.abspath(__file__)), f".corpus-{args.resources}")
    if not os.path.isdir(corpus):
        generate(corpus, args.resources)
    parse_runs, scan_runs, seq_runs = [], [], []
    jobs_runs: dict[int, list[list[float]]] = {j: [] for j in compare}
    for _ in range(args.repeat):  # interleaved, so machine noise hits all alike
        parse_runs.append(child(PARSE, corpus))
        scan_runs.append(child(SCAN, corpus, "0"))
        seq_runs.append(child(SCAN, corpus, "1"))
        for j in compare:
            jobs_runs[j].append(child(SCAN, corpus, str(j)))
    parse = min(parse_runs, key=lambda r: r[0])
    scan = min(scan_runs, key=lambda r: r[0])
    seq = min(seq_runs, key=lambda r: r[0])
    result = {
        "resources": int(scan[1]),
        "auto_workers": int(scan[13]),
        "rules": int(scan[4]),
        "findings": int(scan[3]),
        "errors": int(scan[5]),
        "cores": os.cpu_count(),
        "parse_seconds": round(parse[0], 3),
        "scan_seconds": round(scan[0], 3),
        "ratio_scan_over_parse": round(scan[0] / parse[0], 3),
        "scan_peak_rss_mb": round(scan[2] / 1024, 1),
        # the same scan decoding in one process (--jobs 1), and CPU time rather than wall time
        "sequential_scan_seconds": round(seq[0], 3),
        "ratio_sequential_scan_over_parse": round(seq[0] / parse[0], 3),
        "ratio_scan_cpu_over_parse_cpu": round(scan[6] / parse[3], 3),
        "parse_peak_rss_mb": round(parse[2] / 1024, 1),
        # rendering the report of the fastest scan, over that scan's time
        # (and in CPU time, which a busy machine disturbs less: the scan's includes its worker processes)
        "table_render_seconds": round(scan[7], 3),
        "ratio_table_render_over_scan": round(scan[7] / scan[0], 3),
        "ratio_table_render_cpu_over_scan_cpu": round(scan[8] / scan[6], 3),
        "terminal_table_render_seconds": round(scan[9], 3),
        "ratio_terminal_table_render_over_scan": round(scan[9] / scan[0], 3),
        "ratio_terminal_table_render_cpu_over_scan_cpu": round(scan[10] / scan[6], 3),
        "json_render_seconds": round(scan[11], 3),
        "ratio_json_render_over_scan": round(scan[11] / scan[0], 3),
        "ratio_json_render_cpu_over_scan_cpu": round(scan[12] / scan[6], 3),
    }
    for j, runs in jobs_runs.items():
        best = min(runs, key=lambda r: r[0])
        # wall time (what a user waits) and CPU time (what the machine pays, workers included)
        result[f"jobs_{j}"] = {
            "workers": int(best[13]),
            "scan_seconds": round(best[0], 3),
            "scan_cpu_seconds": round(best[6], 3),
            "ratio_over_parse": round(best[0] / parse[0], 3),
            "all_seconds": [round(r[0], 3) for r in runs],
        }
    print(json.dumps(result, indent=2))
    ok = result["ratio_scan_over_parse"] <= 1.5 and result["scan_peak_rss_mb"] <= 500
    print(f"targets (ratio <= 1.5, peak RSS <= 500 MB): {'met' if ok else 'NOT met'}")
    table_ok = (
        max(result["ratio_table_render_over_scan"], result["ratio_terminal_table_render_over_scan"]) <= 0.1
    )
    print(f"target (table rendering <= 10% of the scan): {'met' if table_ok else 'NOT met'}")


if __name__ == "__main__":
    main()
