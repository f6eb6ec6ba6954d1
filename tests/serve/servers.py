"""Start a test server in a process of its own and talk to it over real TLS on loopback."""

from __future__ import annotations

import http.client
import os
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from kubeguard.serve.certs import KeyPair, issue, make_ca

ROOT = Path(__file__).resolve().parents[2]


class Pki:
    """A CA and a server certificate for 127.0.0.1, written to ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ca = make_ca("test-ca")
        self.ca_file = folder / "ca.crt"
        self.ca_file.write_bytes(self.ca.cert_pem)
        self.cert_file = folder / "tls.crt"
        self.key_file = folder / "tls.key"
        self.install(self.new_server_pair())

    def new_server_pair(self) -> KeyPair:
        return issue(self.ca, ["127.0.0.1", "localhost"])

    def install(self, pair: KeyPair) -> None:
        """Replace the served pair the way the kubelet updates a Secret volume: atomically."""
        for path, data in ((self.cert_file, pair.cert_pem), (self.key_file, pair.key_pem)):
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)

    def client_context(self, pair: KeyPair | None = None) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.ca_file))
        if pair is not None:
            cert = self.folder / "client.crt"
            key = self.folder / "client.key"
            cert.write_bytes(pair.cert_pem)
            key.write_bytes(pair.key_pem)
            context.load_cert_chain(str(cert), str(key))
        return context


class Running:
    def __init__(self, process: subprocess.Popen[bytes], port: int, context: ssl.SSLContext | None) -> None:
        self.process = process
        self.port = port
        self.context = context

    def connect(self, context: ssl.SSLContext | None = None) -> http.client.HTTPConnection:
        if self.context is None and context is None:
            return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        return http.client.HTTPSConnection(
            "127.0.0.1", self.port, timeout=30, context=context or self.context
        )

    def served_certificate(self) -> bytes:
        """The certificate (DER) that a new TLS connection is shown."""
        conn = self.connect()
        try:
            conn.connect()
            return conn.sock.getpeercert(binary_form=True)  # type: ignore[no-any-return, attr-defined]
        finally:
            conn.close()

    def get(self, path: str, conn: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
        return self.request("GET", path, conn=conn)

    def post(
        self, path: str, body: bytes, conn: http.client.HTTPConnection | None = None
    ) -> tuple[int, bytes]:
        return self.request("POST", path, body, conn=conn, headers={"Content-Type": "application/json"})

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        *,
        conn: http.client.HTTPConnection | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        own = conn is None
        conn = conn or self.connect()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            if own:
                conn.close()


def wait_for(predicate: object, what: str, seconds: float = 60.0) -> None:
    """Wait for an event (not a speed limit: the bound only keeps a broken server from hanging CI)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@contextmanager
def serving(
    command: Sequence[str], tmp: Path, context: ssl.SSLContext | None, *, stop: bool = True
) -> Iterator[Running]:
    """Run ``python -m <command> PORTFILE`` until the block ends, then SIGTERM it."""
    portfile = tmp / f"port-{time.monotonic_ns()}"
    process = subprocess.Popen(
        [sys.executable, "-m", command[0], str(portfile), *command[1:]],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: portfile.exists() or process.poll() is not None, "the server to listen")
        if process.poll() is not None:
            out = process.stdout.read().decode() if process.stdout else ""
            raise AssertionError(f"server exited with {process.returncode}:\n{out}")
        yield Running(process, int(portfile.read_text()), context)
    finally:
        terminate(process)
        if process.stdout:
            process.stdout.close()


def terminate(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM a server still running and wait for it (killed if it has not stopped in a minute)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
