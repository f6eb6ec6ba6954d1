"""Admission webhook benchmark: reviews per second and latency over HTTPS keep-alive on loopback.

    python benchmarks/bench_webhook.py [--reviews 5000] [--clients 8] [--workers 2]

Starts ``kubeguard webhook serve`` (certificates made for the run, every rule that runs at admission,
enforce mode) and sends ``--reviews`` AdmissionReviews of a typical Deployment (3 containers: an app,
a sidecar and an init container; a few findings, so each review is judged and denied with a message)
from ``--clients`` client processes, each over one keep-alive HTTPS connection. Prints throughput,
p50/p99 latency as each client saw it, and errors (a non-200 answer or a review without a
``response``). Target (issue 14) on 2 cores: p99 <= 25 ms, >= 300 reviews/s, zero errors. Clients
and server share the machine, so the figures include the clients' own CPU time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from kubeguard.serve.certs import issue, make_ca


def deployment() -> dict[str, Any]:
    def container(name: str, image: str, port: int | None) -> dict[str, Any]:
        c: dict[str, Any] = {
            "name": name,
            "image": image,
            "securityContext": {
                "allowPrivilegeEscalation": False,
                "readOnlyRootFilesystem": True,
                "runAsNonRoot": True,
                "capabilities": {"drop": ["ALL"]},
            },
            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
            "env": [{"name": "LOG_LEVEL", "value": "info"}, {"name": "REGION", "value": "eu-west-1"}],
            "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
        }
        if port:
            c["ports"] = [{"containerPort": port, "name": "http"}]
            c["livenessProbe"] = {"httpGet": {"path": "/healthz", "port": port}}
            c["readinessProbe"] = {"httpGet": {"path": "/ready", "port": port}}
        return c

    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "shop-web",
            "namespace": "shop",
            "labels": {"app": "shop-web", "team": "payments"},
        },
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "shop-web"}},
            "template": {
                "metadata": {"labels": {"app": "shop-web", "team": "payments"}},
                "spec": {
                    "serviceAccountName": "shop-web",
                    "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
                    "initContainers": [container("migrate", "registry.example/shop/migrate:2.4.1", None)],
                    "containers": [
                        container("web", "registry.example/shop/web:2.4.1", 8080),
                        container("proxy", "registry.example/envoy:1.31.2", 9901),
                    ],
                    "volumes": [{"name": "tmp", "emptyDir": {}}],
                },
            },
        },
    }


def review_body(i: int) -> bytes:
    return json.dumps(
        {
            "apiVersion": "admission.k8s.io/v1",
            "kind": "AdmissionReview",
            "request": {
                "uid": f"00000000-0000-4000-8000-{i:012d}",
                "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
                "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
                "operation": "CREATE",
                "namespace": "shop",
                "name": "shop-web",
                "userInfo": {"username": "system:serviceaccount:argocd:argocd-application-controller"},
                "object": deployment(),
                "dryRun": False,
            },
        }
    ).encode()


def client(port: int, ca_file: str, first: int, count: int, out: Any) -> None:
    context = ssl.create_default_context(cafile=ca_file)
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
    latencies: list[float] = []
    errors = 0
    bodies = [review_body(first + i) for i in range(count)]
    for body in bodies:
        started = time.perf_counter()
        try:
            conn.request("POST", "/validate", body=body, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            data = response.read()
            ok = response.status == 200 and "response" in json.loads(data)
        except (OSError, http.client.HTTPException, ValueError):
            ok = False
            conn.close()
            conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
        latencies.append(time.perf_counter() - started)
        errors += not ok
    conn.close()
    out.put((latencies, errors))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviews", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        ca = make_ca("bench-ca")
        pair = issue(ca, ["127.0.0.1"])
        paths = {name: Path(tmp, name) for name in ("ca.crt", "tls.crt", "tls.key")}
        paths["ca.crt"].write_bytes(ca.cert_pem)
        paths["tls.crt"].write_bytes(pair.cert_pem)
        paths["tls.key"].write_bytes(pair.key_pem)
        port = free_port()
        command = [sys.executable, "-m", "kubeguard", "webhook", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(port), "--workers", str(args.workers), "--log-level", "warning"]
        command += ["--cert-file", str(paths["tls.crt"]), "--key-file", str(paths["tls.key"])]
        server = subprocess.Popen(command, cwd=tmp)
        try:
            wait_until_up(port, str(paths["ca.crt"]), server)
            run(args, port, str(paths["ca.crt"]))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(60)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, ca_file: str, server: subprocess.Popen[bytes]) -> None:
    context = ssl.create_default_context(cafile=ca_file)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the webhook exited with {server.returncode}")
        try:
            conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=5)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("the webhook did not start in 120 s")


def run(args: argparse.Namespace, port: int, ca_file: str) -> None:
    per_client = [
        args.reviews // args.clients + (i < args.reviews % args.clients) for i in range(args.clients)
    ]
    queue: Any = multiprocessing.Queue()
    # warm up: every worker process judges a few reviews before the clock starts
    client(port, ca_file, 10**9, 4 * args.workers, queue)
    queue.get()
    clients = []
    first = 0
    for count in per_client:
        clients.append(multiprocessing.Process(target=client, args=(port, ca_file, first, count, queue)))
        first += count
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    for process in clients:
        process.start()
    results = [queue.get() for _ in clients]
    elapsed = time.perf_counter() - started
    for process in clients:
        process.join()
    latencies = sorted(x for lat, _ in results for x in lat)
    errors = sum(e for _, e in results)
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    rate = len(latencies) / elapsed
    print(
        f"machine load (1-minute average): {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; other "
        "processes' CPU time shows up in the latencies"
    )
    print(
        f"reviews: {len(latencies)} from {args.clients} keep-alive HTTPS clients, {args.workers} server worker(s), "
        f"{os.cpu_count()} CPUs"
    )
    print(f"throughput: {rate:.0f} reviews/s (target >= 300)")
    print(
        f"latency: p50 {p50:.1f} ms, p99 {p99:.1f} ms (target p99 <= 25 ms), max {latencies[-1] * 1000:.1f} ms"
    )
    print(f"errors: {errors} (target 0)")


if __name__ == "__main__":
    main()
