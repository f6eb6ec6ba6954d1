"""``kubeguard audit serve`` started as a real process on loopback, and the audit event it is fed:
shared by the receiver tests and ``benchmarks/bench_audit.py``."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.serve.servers import ROOT, terminate, wait_for

_LISTENING = re.compile(r"listening on https://127\.0\.0\.1:(\d+)")


def exec_event(audit_id: str) -> dict[str, Any]:
    """An exec into pod shop/web-0 by alice (AUD001 alerts on it)."""
    return {
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "level": "Metadata",
        "auditID": audit_id,
        "stage": "ResponseStarted",
        "requestURI": "/api/v1/namespaces/shop/pods/web-0/exec?command=sh",
        "verb": "create",
        "user": {"username": "alice"},
        "sourceIPs": ["203.0.113.7"],
        "objectRef": {
            "resource": "pods",
            "namespace": "shop",
            "name": "web-0",
            "apiVersion": "v1",
            "subresource": "exec",
        },
        "responseStatus": {"code": 101},
        "stageTimestamp": "2026-12-01T10:00:00.000000Z",
    }


@contextmanager
def audit_serve(
    cert_file: Path, key_file: Path, spool: Path, out: Path, err: Path, *extra: str
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """Run ``kubeguard audit serve`` on 127.0.0.1 (a free port) with the serving pair and spool
    folder, alerts to ``out``, messages to ``err``, and ``extra`` options; yields the process and
    the port it listens on, and stops it (SIGTERM) when the block ends."""
    with open(out, "wb") as o, open(err, "wb") as e:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "kubeguard.cli.main", "audit", "serve",
                "--host", "127.0.0.1", "--port", "0",
                "--cert-file", str(cert_file), "--key-file", str(key_file),
                "--spool-dir", str(spool), *extra,
            ],
            cwd=ROOT, stdout=o, stderr=e,
        )  # fmt: skip
    try:
        found: list[int] = []

        def listening() -> bool:
            m = _LISTENING.search(err.read_text())
            if m:
                found.append(int(m.group(1)))
            return bool(m) or process.poll() is not None

        wait_for(listening, "the receiver to listen")
        if not found:
            raise AssertionError(f"receiver exited with {process.returncode}:\n{err.read_text()}")
        yield process, found[0]
    finally:
        terminate(process)
