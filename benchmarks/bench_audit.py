"""Audit detection benchmark: events per second and peak memory over a generated audit log, and the
webhook receiver at a steady rate with every event accounted for.

    python benchmarks/bench_audit.py [--events 1000000] [--receiver-rate 2000] [--duration 60]
                                     [--skip-file] [--skip-receiver]

1. File: writes a JSON-lines audit log of N events (a realistic mix: watches and lists by
   controllers, reads and writes by people and CI, pod creates with their request body, exec
   sessions over two stages, denied requests, RequestReceived stages), then runs
   ``kubeguard.api.audit`` with every AUD rule over it in a child process (one core) and prints
   events/s and the child's peak RSS. Targets (issue 15): >= 100,000 events/s, <= 300 MB.
2. Receiver: starts ``kubeguard audit serve`` on loopback (TLS, bearer token, a fresh spool),
   POSTs EventList batches of exec events (each one alerts) at ``--receiver-rate`` events/s for
   ``--duration`` seconds, then waits for the alerts and prints how many events were acknowledged,
   how many alerted (must be all: zero lost), and the acknowledgment latency.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repository root: tests.audit.receiverkit

USERS = [
    "system:serviceaccount:kube-system:replicaset-controller",
    "system:kube-controller-manager",
    "system:kube-scheduler",
    "system:node:ip-10-0-1-17",
    "alice@example.com",
    "bob@example.com",
    "system:serviceaccount:ci:deployer",
]
RESOURCES = [
    ("", "pods"),
    ("", "configmaps"),
    ("", "secrets"),
    ("", "services"),
    ("", "endpoints"),
    ("apps", "deployments"),
    ("apps", "replicasets"),
    ("coordination.k8s.io", "leases"),
    ("rbac.authorization.k8s.io", "rolebindings"),
    ("batch", "jobs"),
]


def _event(i: int) -> dict[str, Any]:
    kind = i % 20
    user = USERS[i % len(USERS)]
    group, res = RESOURCES[i % len(RESOURCES)]
    ns = f"team-{i % 13}"
    event: dict[str, Any] = {
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "level": "Metadata",
        "auditID": f"{i:08x}-7c55-4a0c-9b39-0a4a4f4d2b11",
        "stage": "ResponseComplete",
        "requestURI": f"/api/v1/namespaces/{ns}/{res}?limit=500&resourceVersion=0",
        "verb": ("get", "list", "watch", "update", "patch")[i % 5],
        "user": {"username": user, "groups": ["system:authenticated"]},
        "sourceIPs": [f"10.0.{i % 200}.{i % 250}"],
        "userAgent": "kube-controller-manager/v1.31.2 (linux/amd64) kubernetes/5864a46/system:serviceaccount",
        "objectRef": {
            "resource": res,
            "namespace": ns,
            "name": f"obj-{i % 1000}",
            "apiGroup": group,
            "apiVersion": "v1",
        },
        "responseStatus": {"metadata": {}, "code": 200},
        "requestReceivedTimestamp": "2026-12-01T10:00:00.000000Z",
        "stageTimestamp": "2026-12-01T10:00:00.004000Z",
        "annotations": {"authorization.k8s.io/decision": "allow", "authorization.k8s.io/reason": ""},
    }
    if kind == 0:  # a pod create with its body
        event.update(
            level="Request",
            verb="create",
            objectRef={"resource": "pods", "namespace": ns, "apiVersion": "v1"},
            responseStatus={"code": 201},
            requestObject={
                "kind": "Pod",
                "apiVersion": "v1",
                "metadata": {"generateName": "web-7d4b9c-", "namespace": ns, "labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {
                            "name": "web",
                            "image": "registry.example.com/web:1.4.2",
                            "securityContext": {"privileged": i % 1000 == 0, "runAsNonRoot": True},
                            "resources": {"limits": {"memory": "256Mi"}},
                        }
                    ]
                },
            },
        )
    elif kind == 1:  # an exec session
        event.update(
            stage="ResponseStarted",
            verb="create",
            requestURI=f"/api/v1/namespaces/{ns}/pods/web-0/exec?command=sh&stdin=true&tty=true",
            objectRef={
                "resource": "pods",
                "subresource": "exec",
                "namespace": ns,
                "name": "web-0",
                "apiVersion": "v1",
            },
            responseStatus={"code": 101},
        )
    elif kind == 2:  # denied
        event["responseStatus"] = {"code": 403, "status": "Failure", "reason": "Forbidden"}
    elif kind == 3:  # the first stage of a request
        event["stage"] = "RequestReceived"
        del event["responseStatus"]
    return event


def write_log(path: Path, n: int) -> int:
    with open(path, "wb") as fh:
        chunk = []
        for i in range(n):
            chunk.append(orjson.dumps(_event(i), option=orjson.OPT_APPEND_NEWLINE))
            if len(chunk) == 10_000:
                fh.write(b"".join(chunk))
                chunk.clear()
        fh.write(b"".join(chunk))
    return path.stat().st_size


def measure(path: str) -> None:
    """Child process: read and evaluate the log, print one JSON line of results."""
    from kubeguard.api import audit

    started = time.perf_counter()
    cpu = time.process_time()
    report = audit([path], keep_alerts=False, config=None)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        json.dumps(
            {
                "events": report.summary.events,
                "alerts": sum(report.summary.by_rule.values()),
                "errors": report.summary.records_with_errors,
                "rules": report.summary.rules,
                "wall": wall,
                "cpu": cpu,
                "rss": rss,
            }
        )
    )


def bench_file(n: int) -> None:
    with tempfile.TemporaryDirectory(prefix="kg-bench-audit-") as tmp:
        path = Path(tmp) / "audit.log"
        t = time.perf_counter()
        size = write_log(path, n)
        print(f"wrote {n:,} events ({size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s")
        out = subprocess.run(
            [sys.executable, __file__, "--measure", str(path)], check=True, capture_output=True, text=True
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
    rate = r["events"] / r["wall"]
    print(
        f"file: {r['events']:,} events, {r['rules']} rules, {r['alerts']:,} alerts, {r['errors']} errors: "
        f"{r['wall']:.2f} s wall ({r['cpu']:.2f} s CPU) = {rate:,.0f} events/s (target >= 100,000); "
        f"peak RSS {r['rss'] / 1e6:.0f} MB (target <= 300 MB)"
    )


def bench_receiver(rate: int, duration: float) -> None:
    from tests.audit.receiverkit import audit_serve, exec_event
    from tests.serve.servers import Pki

    with tempfile.TemporaryDirectory(prefix="kg-bench-recv-") as tmp_name:
        tmp = Path(tmp_name)
        pki = Pki(tmp)
        (tmp / "token").write_text("bench-token\n")
        with audit_serve(
            pki.cert_file,
            pki.key_file,
            tmp / "spool",
            tmp / "alerts.jsonl",
            tmp / "stderr",
            "--token-file",
            str(tmp / "token"),
        ) as (_proc, port):
            conn = http.client.HTTPSConnection("127.0.0.1", port, context=pki.client_context(), timeout=30)
            per_batch = max(1, rate // 10)  # ten batches a second, as the API server's batching does
            sent, acked, latencies = 0, 0, []
            start = time.monotonic()
            next_at = start
            while time.monotonic() - start < duration:
                items = [exec_event(f"recv-{sent + k}") for k in range(per_batch)]
                body = orjson.dumps({"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": items})
                t = time.monotonic()
                conn.request("POST", "/", body=body, headers={"Authorization": "Bearer bench-token"})
                resp = conn.getresponse()
                resp.read()
                latencies.append(time.monotonic() - t)
                sent += per_batch
                if resp.status == 200:
                    acked += per_batch
                next_at += per_batch / rate
                time.sleep(max(0.0, next_at - time.monotonic()))
            elapsed = time.monotonic() - start
            deadline = time.monotonic() + 120
            alerted: set[str] = set()
            while time.monotonic() < deadline:
                text = (tmp / "alerts.jsonl").read_text()
                # complete lines only: the receiver may be writing the last one right now
                alerted = {
                    json.loads(line)["auditID"] for line in text[: text.rfind("\n") + 1].splitlines() if line
                }
                if len(alerted) >= acked:
                    break
                time.sleep(0.5)
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[int(len(latencies) * 0.99)] * 1000
    lost = acked - len(alerted)
    print(
        f"receiver: {sent:,} events sent in {elapsed:.1f} s ({sent / elapsed:,.0f} events/s, {per_batch} per batch), "
        f"{acked:,} acknowledged, {len(alerted):,} detected, {lost} lost; ack latency p50 {p50:.1f} ms, "
        f"p99 {p99:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--receiver-rate", type=int, default=2000, help="events per second")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of receiver load")
    parser.add_argument("--skip-file", action="store_true")
    parser.add_argument("--skip-receiver", action="store_true")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    os.environ.setdefault("PYTHONHASHSEED", "0")
    if not args.skip_file:
        bench_file(args.events)
    if not args.skip_receiver:
        bench_receiver(args.receiver_rate, args.duration)


if __name__ == "__main__":
    main()
