"""Results store benchmark: storing a large scan, and the dashboard over many stored scans.

    python benchmarks/bench_store.py [--findings 50000] [--scans 100] [--per-scan 10000]

(1) In one child process: scan a generated corpus big enough for ``--findings`` findings (the
scan's own time), then store the report in SQLite and in PostgreSQL (a throwaway server started
with tests/pgkit.py, fsync and synchronous commit on, as a real server runs), each timed;
peak RSS after the scan and after each store. Target (issue 17): storing <= 25% of the scan's time.
(2) A store of ``--scans`` scans of ``--per-scan`` findings each (one scan stored through
``Store.save``, then copied by SQL into 10 sources of 10 scans; on PostgreSQL then ``VACUUM ANALYZE``,
as autovacuum would soon do), served by a real ``kubeguard dashboard`` process; median and worst of 5
requests for each page. Target: <= 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from corpus import generate
from tests import pgkit

# roughly 1.9 findings per generated resource (bench_scan: 94,308 findings from 50,000 resources)
FINDINGS_PER_RESOURCE = 1.88

STORE = """
import json, resource, sys, time
import kubeguard
from kubeguard.engine.registry import all_rules
from kubeguard.store import describe_source, open_store
all_rules()
def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
t = time.perf_counter()
report = kubeguard.scan([sys.argv[1]], config=None)
out = {"scan": time.perf_counter() - t, "findings": len(report.findings), "rss_scan": rss()}
source = describe_source([sys.argv[1]], report.options)
for name, url in zip(("sqlite", "postgresql"), sys.argv[2:]):
    store = open_store(url)
    t = time.perf_counter()
    store.save(report, source)
    out[name] = time.perf_counter() - t
    out["rss_" + name] = rss()
    store.close()
print(json.dumps(out))
"""

FILL = """
import json, sys, time
import sqlalchemy as sa
import kubeguard
from kubeguard.store import describe_source, open_store
from kubeguard.store.schema import findings, scans
url, folder, n_scans = sys.argv[1], sys.argv[2], int(sys.argv[3])
report = kubeguard.scan([folder], config=None)
store = open_store(url)
first = store.save(report, describe_source([folder], report.options))
with store.engine.connect().execution_options(immediate=True) as conn, conn.begin():
    row = dict(conn.execute(sa.select(scans).where(scans.c.id == first)).mappings().one())
    for i in range(1, n_scans):
        copy = {k: v for k, v in row.items() if k != "id"}
        copy["source_key"] = f"cluster:bench-{i % 10}"
        copy["time"] = row["time"][:10] + f"T{i // 10:02d}" + row["time"][13:]  # 10 scans a source, an hour apart
        new_id = conn.execute(sa.insert(scans).values(copy)).inserted_primary_key[0]
        cols = [c for c in findings.c if c.name != "scan_id"]
        conn.execute(sa.insert(findings).from_select(["scan_id", *[c.name for c in cols]], sa.select(sa.literal(new_id), *cols).where(findings.c.scan_id == first)))
    conn.execute(sa.update(scans).where(scans.c.id == first).values(source_key="cluster:bench-0", time=row["time"][:10] + "T00" + row["time"][13:]))
    fp = conn.execute(sa.select(findings.c.fingerprint).where(findings.c.scan_id == first).limit(1)).scalar()
    sev = conn.execute(sa.select(findings.c.severity).where(findings.c.scan_id == first).limit(1)).scalar()
    with_sev = conn.execute(sa.select(sa.func.count()).where(findings.c.scan_id == first, findings.c.severity == sev)).scalar()
if store.engine.dialect.name == "postgresql":
    # what autovacuum does to a table soon after a million rows arrive (visibility map, statistics);
    # measured while autovacuum was at it, scan pages took 0.8-1.3 s (one request 26 s)
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
print(json.dumps({"findings": len(report.findings), "fingerprint": fp, "severity": sev, "with_severity": with_sev}))
"""


def corpus(findings: int) -> str:
    resources = int(findings / FINDINGS_PER_RESOURCE)
    folder = os.path.join(os.path.dirname(__file__), f".corpus-store-{resources}")
    if not os.path.isdir(folder):
        generate(folder, resources)
    return folder


def child(code: str, *args: str) -> dict:  # type: ignore[type-arg]
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if out.returncode:
        sys.exit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def dashboard_latency(url: str, pages: list[str]) -> dict[str, tuple[float, float]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kubeguard", "dashboard", "--store", url, "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        port = re.search(r":(\d+)/", line)
        if not port:
            sys.exit(line + proc.stderr.read())
        base = f"http://127.0.0.1:{port.group(1)}"
        out = {}
        for page in pages:
            times = []
            for _ in range(6):
                t = time.perf_counter()
                with urllib.request.urlopen(base + page, timeout=60) as response:
                    response.read()
                times.append(time.perf_counter() - t)
            times = times[1:]  # the first request warms caches
            out[page] = (statistics.median(times) * 1000, max(times) * 1000)
        return out
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--findings", type=int, default=50_000)
    ap.add_argument("--scans", type=int, default=100)
    ap.add_argument("--per-scan", type=int, default=10_000)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="kg-bench-store-")
    server = pgkit.start(fsync=True)
    try:
        big = corpus(args.findings)
        result = child(STORE, big, f"sqlite:///{work}/big.db", server.create_database())
        print(
            f"(1) scan of {result['findings']:,} findings: {result['scan']:.1f} s, peak RSS {result['rss_scan']} MB"
        )
        for name in ("sqlite", "postgresql"):
            print(
                f"    store in {name:10s}: {result[name]:.2f} s = {100 * result[name] / result['scan']:.1f}% of the scan"
                f" (target 25%), peak RSS after {result['rss_' + name]} MB"
            )
        small = corpus(args.per_scan)
        for name, url in (("sqlite", f"sqlite:///{work}/many.db"), ("postgresql", server.create_database())):
            filled = child(FILL, url, small, str(args.scans))
            mid = max(1, args.scans // 2)
            before = max(1, mid - 10)  # the scan before it of the same source (ids go round 10 sources)
            pages = [
                "/",
                "/source?key=cluster:bench-3",
                f"/scans/{mid}",
                f"/scans/{mid}?severity={filled['severity']}",
                f"/scans/{mid}?page=20",
                # the last page of the filtered findings: the deepest OFFSET a filter gives
                f"/scans/{mid}?severity={filled['severity']}&page={max(1, -(-filled['with_severity'] // 200))}",
                f"/scans/{mid}/findings/{filled['fingerprint']}",
                f"/diff?a={before}&b={mid}",
            ]
            print(
                f"(2) dashboard on {name}: {args.scans} scans x {filled['findings']:,} findings"
                f" ({filled['with_severity']:,} of severity {filled['severity']} in each)"
            )
            for page, (median, worst) in dashboard_latency(url, pages).items():
                print(f"    {page:45s} median {median:6.1f} ms, worst {worst:6.1f} ms (target 200)")
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
