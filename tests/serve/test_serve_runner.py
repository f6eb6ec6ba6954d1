"""The shared server runner over real TLS on loopback: TLS versions, certificate reload without
dropping connections, mutual TLS, plain HTTP only on loopback, graceful stop, workers sharing metrics."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import ssl
import threading
from pathlib import Path

import pytest

from kubeguard.serve import CertificateWatcher, ServeError, ServeOptions, TlsFiles, run, server_context
from kubeguard.serve.certs import issue
from tests.serve.servers import Pki, serving, wait_for

APP = "tests.serve.demo_app"


@pytest.fixture()
def pki(tmp_path: Path) -> Pki:
    return Pki(tmp_path)


def _tls_args(pki: Pki) -> list[str]:
    return ["--cert", str(pki.cert_file), "--key", str(pki.key_file)]


def test_serves_tls12_and_newer_only(pki: Pki, tmp_path: Path) -> None:
    with serving([APP, *_tls_args(pki)], tmp_path, pki.client_context()) as server:
        assert server.get("/") == (200, b"hello")
        tls12 = pki.client_context()
        tls12.maximum_version = ssl.TLSVersion.TLSv1_2
        conn = server.connect(tls12)
        assert server.get("/", conn) == (200, b"hello")
        assert conn.sock.version() == "TLSv1.2"  # type: ignore[attr-defined]
        conn.close()


def test_server_context_refuses_tls_older_than_12(pki: Pki) -> None:
    # (a client cannot test this: today's OpenSSL clients refuse TLS 1.1 themselves)
    context = server_context(TlsFiles(str(pki.cert_file), str(pki.key_file)))
    assert context.minimum_version == ssl.TLSVersion.TLSv1_2
    assert context.verify_mode == ssl.CERT_NONE
    mtls = server_context(TlsFiles(str(pki.cert_file), str(pki.key_file), str(pki.ca_file)))
    assert mtls.verify_mode == ssl.CERT_REQUIRED


def _handshake(server: ssl.SSLContext, client: ssl.SSLContext) -> bytes:
    """The certificate ``server`` presents, by a handshake in memory."""
    s_in, s_out, c_in, c_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    s = server.wrap_bio(s_in, s_out, server_side=True)
    c = client.wrap_bio(c_in, c_out, server_hostname="localhost")
    for _ in range(10):
        for side in (c, s):
            with contextlib.suppress(ssl.SSLWantReadError):
                side.do_handshake()
        s_in.write(c_out.read())
        c_in.write(s_out.read())
    peer = c.getpeercert(binary_form=True)
    assert peer is not None
    return peer


def test_a_pair_that_does_not_load_never_reaches_the_live_context(pki: Pki) -> None:
    files = TlsFiles(str(pki.cert_file), str(pki.key_file))
    context = server_context(files)
    watcher = CertificateWatcher(context, files)
    original = _handshake(context, pki.client_context())
    assert watcher.check() is False  # nothing changed
    # a new certificate whose key has not arrived yet (the files are written one by one)
    half = pki.new_server_pair()
    pki.cert_file.write_bytes(half.cert_pem)
    assert watcher.check() is False
    assert _handshake(context, pki.client_context()) == original  # still the old pair, still working
    pki.key_file.write_bytes(half.key_pem)
    assert watcher.check() is True
    assert watcher.reloads == 1
    assert _handshake(context, pki.client_context()) == ssl.PEM_cert_to_DER_cert(half.cert_pem.decode())


def test_certificate_reload_keeps_open_connections(pki: Pki, tmp_path: Path) -> None:
    with serving([APP, *_tls_args(pki)], tmp_path, pki.client_context()) as server:
        kept = server.connect()
        assert server.get("/", kept) == (200, b"hello")
        first = kept.sock.getpeercert(binary_form=True)  # type: ignore[attr-defined]
        renewed = pki.new_server_pair()
        pki.install(renewed)
        expected = ssl.PEM_cert_to_DER_cert(renewed.cert_pem.decode())

        wait_for(lambda: server.served_certificate() == expected, "the renewed certificate to be served")
        # the connection opened before the renewal still works, with the certificate it started with
        assert server.get("/", kept) == (200, b"hello")
        assert kept.sock.getpeercert(binary_form=True) == first  # type: ignore[attr-defined]
        kept.close()


def test_mutual_tls_requires_a_client_certificate(pki: Pki, tmp_path: Path) -> None:
    args = [APP, *_tls_args(pki), "--client-ca", str(pki.ca_file)]
    with serving(args, tmp_path, pki.client_context()) as server:
        with pytest.raises((ssl.SSLError, ConnectionError)):
            server.get("/")
        client = issue(pki.ca, ["client"], client=True)
        assert server.get("/", server.connect(pki.client_context(client))) == (200, b"hello")


def test_plain_http_on_loopback(tmp_path: Path) -> None:
    with serving([APP, "--plain"], tmp_path, None) as server:
        assert server.get("/") == (200, b"hello")


def test_plain_http_refused_off_loopback() -> None:
    with pytest.raises(ServeError, match="loopback"):
        run(lambda *a: None, ServeOptions(host="0.0.0.0", port=0, tls=None))


def test_unreadable_certificate_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bad.crt").write_text("not a certificate")
    (tmp_path / "bad.key").write_text("not a key")
    tls = TlsFiles(str(tmp_path / "bad.crt"), str(tmp_path / "bad.key"))
    with pytest.raises(ServeError, match=r"cannot load the certificate .*bad\.crt"):
        run(lambda *a: None, ServeOptions(port=0, tls=tls))


def test_sigterm_finishes_requests_in_flight_then_exits_cleanly(pki: Pki, tmp_path: Path) -> None:
    with serving([APP, *_tls_args(pki)], tmp_path, pki.client_context()) as server:
        answers: list[tuple[int, bytes]] = []
        slow = threading.Thread(target=lambda: answers.append(server.get("/slow")))
        slow.start()
        # stop the server while the slow request (1.5 s asleep) is in flight
        threading.Event().wait(0.5)
        server.process.send_signal(signal.SIGTERM)
        slow.join(60)
        assert answers == [(200, b"slept")]
        assert server.process.wait(60) == 0


def _hits(metrics: bytes) -> int:
    found = re.search(rb'^demo_hits_total\{path="/hit"\} (\d+)$', metrics, re.M)
    return int(found.group(1)) if found else 0


def test_workers_share_metrics_and_a_dead_worker_is_replaced(pki: Pki, tmp_path: Path) -> None:
    with serving([APP, *_tls_args(pki), "--workers", "2"], tmp_path, pki.client_context()) as server:
        pids: set[bytes] = set()
        count = 0
        while len(pids) < 2 or count < 10:  # fresh connections until both workers have answered
            pids.add(server.get("/hit")[1])
            count += 1
            assert count < 500, "one worker answered every connection"

        def scraped_total() -> bool:
            return all(_hits(server.get("/metrics")[1]) == count for _ in range(6))

        wait_for(scraped_total, f"every scrape to count {count} hits")  # published within a second
        # a worker killed outright is replaced, and the counts do not fall back
        victim = sorted(pids)[0]
        os.kill(int(victim), signal.SIGKILL)
        wait_for(lambda: server.get("/pid")[1] not in pids, "a new worker")
        assert all(_hits(server.get("/metrics")[1]) == count for _ in range(6))


def test_a_port_in_use_is_a_clear_error() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServeError, match=f"cannot listen on 127.0.0.1:{port}"):
            run(lambda *a: None, ServeOptions(port=port, tls=None))
