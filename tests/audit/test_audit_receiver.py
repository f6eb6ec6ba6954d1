"""``kubeguard audit serve`` as a real process over TLS on loopback: authentication (401 without the
token, TLS refusal without a client certificate), acknowledged batches survive ``kill -9`` and are
detected after the restart, alerts on stdout and to a Falcosidekick-compatible URL."""

from __future__ import annotations

import http.client
import http.server
import json
import signal
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kubeguard.receiver.spool import Spool
from kubeguard.serve.certs import issue
from tests.audit.receiverkit import audit_serve, exec_event
from tests.serve.servers import ROOT, Pki, wait_for

TOKEN = "t0k3n-for-tests"


def batch(*ids: str) -> bytes:
    return json.dumps(
        {"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": [exec_event(i) for i in ids]}
    ).encode()


class Receiver:
    def __init__(self, process: subprocess.Popen[bytes], port: int, out: Path, pki: Pki) -> None:
        self.process = process
        self.port = port
        self.out = out
        self.pki = pki

    def post(self, body: bytes, token: str | None = TOKEN, context: ssl.SSLContext | None = None) -> int:
        conn = http.client.HTTPSConnection(
            "127.0.0.1", self.port, timeout=30, context=context or self.pki.client_context()
        )
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        try:
            conn.request("POST", "/", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    def alerted(self) -> set[str]:
        return alert_ids(self.out)


def alert_ids(path: Path) -> set[str]:
    """The audit IDs of the complete alert lines in ``path``.

    The receiver writes each alert as one line; a reader (or a kill) can meet a line half written:
    a write to a regular file is not atomic for a reader, and SIGKILL ends a write between pages
    (a 455-byte alert line straddling a page boundary is cut). A line without its newline is not
    an alert yet: its batch's offset is recorded only after the sinks return, so a restart
    detects it again. Only the last line may be incomplete.
    """
    data = path.read_bytes()
    complete = data[: data.rfind(b"\n") + 1]
    return {json.loads(line)["auditID"] for line in complete.splitlines() if line.strip()}


@contextmanager
def receiver(tmp: Path, pki: Pki, spool: Path, *extra: str, name: str = "r") -> Iterator[Receiver]:
    out, err = tmp / f"{name}.out", tmp / f"{name}.err"
    token_file = tmp / "token"
    token_file.write_text(TOKEN + "\n")
    args = ["--token-file", str(token_file)] if "--client-ca" not in extra else []
    with audit_serve(pki.cert_file, pki.key_file, spool, out, err, *args, *extra) as (process, port):
        yield Receiver(process, port, out, pki)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return Pki(tmp_path_factory.mktemp("pki"))


def test_unauthenticated_posts_get_401_and_are_not_spooled(tmp_path: Path, pki: Pki):
    with receiver(tmp_path, pki, tmp_path / "spool") as r:
        assert r.post(batch("no-token"), token=None) == 401
        assert r.post(batch("wrong-token"), token="guess") == 401
        assert r.post(b"{not json", token=TOKEN) == 400
        assert r.post(batch("good"), token=TOKEN) == 200
        wait_for(lambda: "good" in r.alerted(), "the alert of the accepted batch")
    assert r.alerted() == {"good"}


def test_an_acknowledged_batch_survives_kill_9(tmp_path: Path, pki: Pki):
    spool = tmp_path / "spool"
    ids = [f"k{i}" for i in range(50)]
    with receiver(tmp_path, pki, spool, name="first") as first:
        for i in range(0, 50, 10):
            assert first.post(batch(*ids[i : i + 10])) == 200
        first.process.send_signal(signal.SIGKILL)  # right after the last acknowledgment
        first.process.wait()
    # every acknowledged batch is on disk, whatever detection had done before the kill
    on_disk = Spool(str(spool))
    spooled = {item["auditID"] for _, p in on_disk.read(on_disk.committed) for item in json.loads(p)["items"]}
    read_before = set(ids) - spooled
    on_disk.close()
    assert read_before <= first.alerted()
    with receiver(tmp_path, pki, spool, name="second") as second:
        # what was on disk but not recorded as read is detected again after the restart (at least once)
        wait_for(lambda: spooled <= second.alerted(), "the spooled batches to be detected after the restart")
        assert set(ids) <= first.alerted() | second.alerted()


def test_a_line_cut_short_by_a_kill_is_not_counted_as_an_alert(tmp_path: Path):
    # what kill -9 left in the output of a receiver stopped while writing its third alert line
    lines = [json.dumps({"auditID": f"c{i}", "rule": "AUD001"}).encode() + b"\n" for i in range(3)]
    out = tmp_path / "killed.out"
    out.write_bytes(lines[0] + lines[1] + lines[2][:17])
    assert alert_ids(out) == {"c0", "c1"}
    out.write_bytes(b"".join(lines))
    assert alert_ids(out) == {"c0", "c1", "c2"}


def test_client_certificates_when_a_client_ca_is_given(tmp_path: Path, pki: Pki):
    with receiver(tmp_path, pki, tmp_path / "spool", "--client-ca", str(pki.ca_file)) as r:
        with pytest.raises((ssl.SSLError, ConnectionError, OSError)):
            r.post(batch("anonymous"), token=None)
        client = pki.client_context(issue(pki.ca, ["kube-apiserver"], client=True))
        assert r.post(batch("mtls"), token=None, context=client) == 200
        wait_for(lambda: "mtls" in r.alerted(), "the alert of the batch sent with a client certificate")


class _Capture(http.server.BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_alerts_are_posted_in_falcosidekick_shape(tmp_path: Path, pki: Pki):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Capture)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        with receiver(tmp_path, pki, tmp_path / "spool", "--alert-url", url) as r:
            assert r.post(batch("fs-1")) == 200
            wait_for(lambda: bool(_Capture.received), "the alert to be posted")
    finally:
        server.shutdown()
    payload = _Capture.received[0]
    assert payload["rule"] == "Exec or attach into a pod"
    assert payload["priority"] == "Warning" and payload["source"] == "k8s_audit"
    assert payload["time"] == "2026-12-01T10:00:00.000000Z"
    assert payload["output"].endswith("alice opened exec into pod shop/web-0 running 'sh'")
    assert {"k8s", "AUD001", "T1609"} <= set(payload["tags"]) and payload["hostname"]
    assert payload["output_fields"]["ka.auditid"] == "fs-1"
    assert payload["output_fields"]["ka.target.subresource"] == "exec"


def test_serve_refuses_to_run_without_authentication(tmp_path: Path, pki: Pki):
    result = subprocess.run(
        [sys.executable, "-m", "kubeguard.cli.main", "audit", "serve", "--cert-file", str(pki.cert_file), "--key-file", str(pki.key_file)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2 and "--client-ca or --token-file" in result.stderr
